import { NotFoundError } from "../src/store/store.js";
import { ConfigError } from "../src/util/errors.js";

/** The fields the AWS SDK puts on its errors (service errors and network errors alike). */
interface SdkError extends Error {
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** What was being done, for the message. */
export interface S3Attempt {
  endpoint: string;
  bucket: string;
  operation: string;
  /** s3:// URI of the object or prefix. */
  target: string;
}

const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

const credentialsHint = "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)";

/** A download whose connection broke after the response started: the whole read may be retried. */
export class InterruptedDownload extends Error {
  override readonly name = "InterruptedDownload";
}

export function isNotFound(error: unknown): boolean {
  const e = error as SdkError;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

export function isNetworkError(error: unknown): boolean {
  const e = error as SdkError;
  return networkCodes.has(e?.code ?? "") || e?.name === "TimeoutError" || e?.name === "AbortError";
}

/**
 * Turns an SDK error into one a person can act on: configuration problems (missing bucket, bad
 * credentials, wrong region) become ConfigError (exit 2, retrying won't help); an unreachable endpoint
 * and exhausted retries stay plain Errors (exit 1, Airflow retries the step).
 */
export function explainS3Error(error: unknown, attempt: S3Attempt): Error {
  if (error instanceof NotFoundError || error instanceof ConfigError) return error;
  const e = error as SdkError;
  const code = e?.Code ?? e?.name ?? "Error";
  const status = e?.$metadata?.httpStatusCode;
  const at = `${attempt.operation} ${attempt.target} at ${attempt.endpoint}`;
  switch (code) {
    case "NoSuchBucket":
      return new ConfigError(
        `bucket "${attempt.bucket}" does not exist at ${attempt.endpoint}: create it, or fix INFLOW_STORE / INFLOW_RAW_STORE`,
      );
    case "InvalidAccessKeyId":
      return new ConfigError(
        `${attempt.endpoint} does not know the access key: check AWS_ACCESS_KEY_ID (${at})`,
      );
    case "SignatureDoesNotMatch":
      return new ConfigError(
        `${attempt.endpoint} rejected the request signature: check AWS_SECRET_ACCESS_KEY and that it belongs to AWS_ACCESS_KEY_ID (${at})`,
      );
    case "InvalidToken":
    case "ExpiredToken":
    case "TokenRefreshRequired":
      return new ConfigError(
        `${attempt.endpoint} refused the session token: check AWS_SESSION_TOKEN (${at})`,
      );
    case "PermanentRedirect":
    case "AuthorizationHeaderMalformed":
    case "IllegalLocationConstraintException":
      return new ConfigError(`bucket "${attempt.bucket}" is in another region: check AWS_REGION (${at})`);
    case "CredentialsProviderError":
      return new ConfigError(`no AWS credentials found: set ${credentialsHint} (${at})`);
  }
  if (code === "AccessDenied" || status === 403) {
    return new ConfigError(
      `access denied (${code}, HTTP 403): check ${credentialsHint} and the bucket's policy (${at})`,
    );
  }
  const tries = e?.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempts` : "";
  if (isNetworkError(error)) {
    return new Error(`S3 endpoint ${attempt.endpoint} unreachable (${e.code ?? e.name})${tries}: ${at}`, {
      cause: error,
    });
  }
  const http = status ? `, HTTP ${status}` : "";
  return new Error(`S3 ${at} failed (${code}${http})${tries}: ${e?.message ?? String(error)}`, {
    cause: error,
  });
}
