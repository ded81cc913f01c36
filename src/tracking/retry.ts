import { setTimeout as sleep } from "node:timers/promises";
import { isAxiosError } from "axios";

/** How tracking clients retry a transient failure (server down, 5xx, throttling) before failing the step. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 means one attempt only. */
  retries: number;
  /** Delay before the first retry; doubles each time up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/** A tracking call that failed for good: after its retries, or at once when retrying cannot help. */
export class TrackingError extends Error {
  override readonly name: string = "TrackingError";
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Runs `call`, retrying with exponential backoff while `isTransient` says the failure may pass.
 * The final error names the operation and the number of attempts, so a failed step says why.
 */
export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  isTransient: (error: unknown) => boolean,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= policy.retries) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new TrackingError(
          `${what} failed after ${attempt + 1} attempts: ${reason}`,
          undefined,
          "RETRIES_EXHAUSTED",
        );
      }
      await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
    }
  }
}

/** Connection failures, timeouts, throttling and 5xx may pass; other HTTP errors will not. */
export function isTransientHttpError(error: unknown): boolean {
  if (!isAxiosError(error)) return false;
  const status = error.response?.status;
  return status === undefined || status === 429 || status >= 500;
}
