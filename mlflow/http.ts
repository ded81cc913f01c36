import axios, { type AxiosInstance, isAxiosError } from "axios";
import {
  defaultRetryPolicy,
  isTransientHttpError,
  type RetryPolicy,
  TrackingError,
  withRetries,
} from "../src/tracking/retry.js";
import { ConfigError } from "../src/util/errors.js";
import type { MlflowErrorBody } from "./types.js";

/** Where the tracking server is and how to authenticate (MLflow's standard variables). */
export interface MlflowConnection {
  /** MLFLOW_TRACKING_URI, e.g. http://127.0.0.1:5000 */
  trackingUri: string;
  /** MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD: basic auth (MLflow's auth app). */
  username?: string;
  password?: string;
  /** MLFLOW_TRACKING_TOKEN: a bearer token (a proxy in front of MLflow). */
  token?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** An MLflow API error with its HTTP status and MLflow error code (RESOURCE_DOES_NOT_EXIST, ...). */
export class MlflowApiError extends TrackingError {
  override readonly name: string = "MlflowApiError";
}

/** JSON and upload calls to one tracking server, with retries on transient failures. */
export class MlflowHttp {
  readonly baseUri: string;
  private readonly axios: AxiosInstance;
  private readonly retry: RetryPolicy;

  constructor(connection: MlflowConnection) {
    this.baseUri = connection.trackingUri.replace(/\/+$/, "");
    this.retry = connection.retry ?? defaultRetryPolicy;
    const headers: Record<string, string> = {};
    if (connection.token) headers.Authorization = `Bearer ${connection.token}`;
    this.axios = axios.create({
      baseURL: this.baseUri,
      timeout: connection.timeoutMs ?? 60_000,
      headers,
      auth:
        connection.username !== undefined
          ? { username: connection.username, password: connection.password ?? "" }
          : undefined,
      // Model files can be large; MLflow itself sets no limit on artifact uploads.
      maxBodyLength: Number.POSITIVE_INFINITY,
      maxContentLength: Number.POSITIVE_INFINITY,
    });
  }

  async get<T>(path: string, params: Record<string, string | number>): Promise<T> {
    return this.call(`GET ${path}`, async () => (await this.axios.get<T>(path, { params })).data);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call(`POST ${path}`, async () => (await this.axios.post<T>(path, body)).data);
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return this.call(`PATCH ${path}`, async () => (await this.axios.patch<T>(path, body)).data);
  }

  async put(path: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.call(`PUT ${path}`, () =>
      this.axios.put(path, body, { headers: { "Content-Type": contentType } }),
    );
  }

  async download(path: string): Promise<Buffer> {
    return this.call(`GET ${path}`, async () =>
      Buffer.from((await this.axios.get<ArrayBuffer>(path, { responseType: "arraybuffer" })).data),
    );
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(
        `MLflow ${what} at ${this.baseUri}`,
        this.retry,
        isTransientHttpError,
        request,
      );
    } catch (error) {
      throw describe(error, what, this.baseUri);
    }
  }
}

/** Turns an axios failure into an error that says what was called and what MLflow answered. */
function describe(error: unknown, what: string, baseUri: string): Error {
  if (!isAxiosError(error)) return error as Error;
  const status = error.response?.status;
  const body = error.response?.data as MlflowErrorBody | undefined;
  const detail = body?.message ?? error.message;
  if (status === 401 || status === 403)
    return new ConfigError(
      `MLflow at ${baseUri} refused ${what} (${status}): check MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN`,
    );
  return new MlflowApiError(
    `MLflow ${what} failed (${status ?? "no response"}): ${detail}`,
    status,
    body?.error_code,
  );
}
