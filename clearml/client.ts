import axios, { type AxiosInstance, isAxiosError } from "axios";
import {
  defaultRetryPolicy,
  isTransientHttpError,
  type RetryPolicy,
  TrackingError,
  withRetries,
} from "../src/tracking/retry.js";
import { ConfigError } from "../src/util/errors.js";
import type {
  ClearmlArtifact,
  ClearmlEnvelope,
  ClearmlHyperParam,
  ClearmlScalarEvent,
  ClearmlTaskType,
} from "./types.js";

/** ClearML's standard SDK variables (CLEARML_API_HOST, CLEARML_WEB_HOST, CLEARML_FILES_HOST, keys). */
export interface ClearmlConnection {
  apiHost: string;
  webHost: string;
  filesHost?: string;
  accessKey: string;
  secretKey: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** A ClearML call that failed: HTTP status and ClearML's `result_code/result_subcode`. */
export class ClearmlApiError extends TrackingError {
  override readonly name: string = "ClearmlApiError";
}

/**
 * The API version Inflow speaks, sent in every URL (`/v2.23/tasks.create`) as ClearML's SDK does:
 * servers from 2.23 on answer it, and test/code/clearml-contract.test.ts checks every request and
 * the test double's answers against this version's schemas, as ClearML's SDK ships them.
 */
export const clearmlApiVersion = "2.23";

/** Events per `events.add_batch` request: keeps requests small while a day's metrics go in one. */
export const scalarsPerBatch = 500;

/**
 * A client for ClearML's JSON-RPC style REST API (`POST <api host>/<service>.<action>`, responses
 * `{meta, data}`): a token from `auth.login`, renewed when the server says it expired; retries with
 * backoff on connection errors, throttling and 5xx.
 */
export class ClearmlClient {
  readonly apiHost: string;
  readonly webHost: string;
  readonly filesHost?: string;
  private readonly axios: AxiosInstance;
  private readonly retry: RetryPolicy;
  private token?: Promise<string>;

  constructor(private readonly connection: ClearmlConnection) {
    this.apiHost = connection.apiHost.replace(/\/+$/, "");
    this.webHost = connection.webHost.replace(/\/+$/, "");
    this.filesHost = connection.filesHost?.replace(/\/+$/, "");
    this.retry = connection.retry ?? defaultRetryPolicy;
    this.axios = axios.create({
      timeout: connection.timeoutMs ?? 60_000,
      maxBodyLength: Number.POSITIVE_INFINITY,
      maxContentLength: Number.POSITIVE_INFINITY,
    });
  }

  /** `auth.login` with the access and secret keys as basic auth; the token then goes as a bearer. */
  async login(): Promise<string> {
    const data = await this.send<{ token: string }>(
      "auth.login",
      {},
      {
        username: this.connection.accessKey,
        password: this.connection.secretKey,
      },
    );
    return data.token;
  }

  /**
   * Calls `endpoint` with a JSON body (or json-lines text for `events.add_batch`). A 401 on a call
   * means the token expired or was revoked: log in again once and repeat the call.
   */
  async call<T>(endpoint: string, body: unknown): Promise<T> {
    const token = await this.currentToken();
    try {
      return await this.send<T>(endpoint, body, token);
    } catch (error) {
      if (!(error instanceof ClearmlApiError && error.status === 401)) throw error;
      this.token = undefined;
      return this.send<T>(endpoint, body, await this.currentToken());
    }
  }

  async ensureProject(name: string): Promise<string> {
    const found = await this.call<{ projects: { id: string; name: string }[] }>("projects.get_all", {
      name: `^${escapeRegex(name)}$`,
      only_fields: ["id", "name"],
    });
    const exact = found.projects.find((p) => p.name === name);
    if (exact) return exact.id;
    const created = await this.call<{ id: string }>("projects.create", {
      name,
      description: "Inflow runs (created by Inflow's ClearML tracker)",
    });
    return created.id;
  }

  async createTask(options: {
    name: string;
    project: string;
    type: ClearmlTaskType;
    tags?: string[];
    comment?: string;
  }): Promise<string> {
    const created = await this.call<{ id: string }>("tasks.create", options);
    return created.id;
  }

  async started(task: string): Promise<void> {
    await this.call("tasks.started", { task });
  }

  async completed(task: string): Promise<void> {
    await this.call("tasks.completed", { task, status_reason: "completed by inflow" });
  }

  async failed(task: string, reason: string): Promise<void> {
    await this.call("tasks.failed", { task, status_reason: reason, status_message: reason, force: true });
  }

  async stopped(task: string, reason: string): Promise<void> {
    await this.call("tasks.stopped", { task, status_reason: reason, force: true });
  }

  /** Adds or updates hyperparameters; `force` because the task is already running. */
  async editHyperParams(task: string, hyperparams: ClearmlHyperParam[]): Promise<void> {
    if (hyperparams.length === 0) return;
    await this.call("tasks.edit_hyper_params", {
      task,
      hyperparams,
      replace_hyperparams: "none",
      force: true,
    });
  }

  /** Scalars in json-lines batches; any event the server did not add fails the call. */
  async addScalars(events: ClearmlScalarEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += scalarsPerBatch) {
      const batch = events.slice(start, start + scalarsPerBatch);
      const lines = batch.map((e) => JSON.stringify(e)).join("\n");
      const result = await this.call<{ added?: number; errors?: number; errors_info?: unknown }>(
        "events.add_batch",
        lines,
      );
      if ((result.errors ?? 0) > 0 || (result.added !== undefined && result.added < batch.length))
        throw new ClearmlApiError(
          `ClearML added ${result.added ?? 0} of ${batch.length} scalar events: ${JSON.stringify(result.errors_info ?? {})}`,
        );
    }
  }

  async addArtifacts(task: string, artifacts: ClearmlArtifact[]): Promise<void> {
    await this.call("tasks.add_or_update_artifacts", { task, artifacts, force: true });
  }

  /**
   * Uploads a file to the ClearML file server the way ClearML's SDK does (multipart POST with the
   * relative path as the field name) and returns its URL.
   */
  async uploadFile(path: string, body: Uint8Array, contentType: string): Promise<string> {
    if (!this.filesHost) throw new ConfigError("CLEARML_FILES_HOST is not set: nowhere to upload files");
    const form = new FormData();
    form.append(path, new Blob([body], { type: contentType }), path);
    const url = `${this.filesHost}/`;
    const token = await this.currentToken();
    await withRetries(`ClearML file upload to ${url}`, this.retry, isTransientHttpError, () =>
      this.axios.post(url, form, { headers: { Authorization: `Bearer ${token}` } }),
    ).catch((error) => {
      throw describe(error, "file upload", url);
    });
    return `${this.filesHost}/${path.split("/").map(encodeURIComponent).join("/")}`;
  }

  /** The task's results page, as ClearML's SDK links it for this API version (its Scalars tab is one click on). */
  taskLink(project: string, task: string): string {
    return `${this.webHost}/projects/${project}/experiments/${task}/output/log`;
  }

  private currentToken(): Promise<string> {
    if (!this.token) {
      this.token = this.login();
      this.token.catch(() => {
        this.token = undefined;
      });
    }
    return this.token;
  }

  private async send<T>(
    endpoint: string,
    body: unknown,
    auth: string | { username: string; password: string },
  ) {
    const url = `${this.apiHost}/v${clearmlApiVersion}/${endpoint}`;
    const request = async () => {
      const response = await this.axios.post<ClearmlEnvelope<T>>(url, body, {
        auth: typeof auth === "string" ? undefined : auth,
        headers: {
          "Content-Type": "application/json",
          ...(typeof auth === "string" ? { Authorization: `Bearer ${auth}` } : {}),
        },
        transformRequest: typeof body === "string" ? [(data: string) => data] : undefined,
      });
      return response.data;
    };
    let envelope: ClearmlEnvelope<T>;
    try {
      envelope = await withRetries(
        `ClearML ${endpoint} at ${this.apiHost}`,
        this.retry,
        isTransientHttpError,
        request,
      );
    } catch (error) {
      throw describe(error, endpoint, this.apiHost);
    }
    if (envelope.meta && envelope.meta.result_code !== 200)
      throw new ClearmlApiError(
        `ClearML ${endpoint} failed (${envelope.meta.result_code}): ${envelope.meta.result_msg}`,
        envelope.meta.result_code,
        `${envelope.meta.result_code}/${envelope.meta.result_subcode ?? 0}`,
      );
    return envelope.data;
  }
}

function describe(error: unknown, what: string, host: string): Error {
  if (!isAxiosError(error)) return error as Error;
  const status = error.response?.status;
  const meta = (error.response?.data as Partial<ClearmlEnvelope<unknown>> | undefined)?.meta;
  if (what === "auth.login" && (status === 401 || status === 403))
    return new ConfigError(
      `ClearML at ${host} refused the credentials (${status}): check CLEARML_API_ACCESS_KEY and CLEARML_API_SECRET_KEY`,
    );
  return new ClearmlApiError(
    `ClearML ${what} failed (${status ?? "no response"}): ${meta?.result_msg ?? error.message}`,
    status,
    meta ? `${meta.result_code}/${meta.result_subcode ?? 0}` : undefined,
  );
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
