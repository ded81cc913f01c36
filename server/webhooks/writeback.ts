/** One call to a help desk's REST API. */
export interface WriteBackRequest {
  method: "PUT" | "POST";
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface WriteBackLimits {
  attemptTimeoutMs: number;
  budgetMs: number;
}

/** The help desk refused the call for good (4xx other than 408/409/429): retrying cannot help. */
export class WriteBackRefused extends Error {
  override readonly name = "WriteBackRefused";
  constructor(readonly status: number) {
    super(`help desk answered ${status}`);
  }
}

/** Attempts did not succeed within the budget; the webhook's sender should redeliver later. */
export class WriteBackUnavailable extends Error {
  override readonly name = "WriteBackUnavailable";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

const retriable = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/**
 * Sends with retries inside a time budget: each attempt is cut at `attemptTimeoutMs`; 429/503 wait
 * the Retry-After the help desk asks for (Zendesk and Jira both send it when rate limiting), other
 * transient failures back off exponentially (250 ms, 500 ms, …). The same Idempotency-Key goes with
 * every attempt, so a retry after a lost response is not applied twice by a desk that honours it;
 * the calls themselves are idempotent updates (set group, add tags/labels) for the desks that do not.
 */
export async function sendWithRetries(request: WriteBackRequest, limits: WriteBackLimits): Promise<number> {
  const deadline = Date.now() + limits.budgetMs;
  let lastProblem = "no attempt";
  let retryAfterSeconds = 1;
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let wait = 250 * 2 ** attempt;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: { "content-type": "application/json", ...request.headers },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(Math.min(limits.attemptTimeoutMs, remaining)),
      });
      await response.arrayBuffer();
      if (response.ok) return response.status;
      if (!retriable.has(response.status)) throw new WriteBackRefused(response.status);
      lastProblem = `help desk answered ${response.status}`;
      const asked = retryAfter(response.headers.get("retry-after"));
      if (asked !== null) {
        wait = asked * 1000;
        retryAfterSeconds = Math.max(1, Math.ceil(asked));
      }
    } catch (error) {
      if (error instanceof WriteBackRefused) throw error;
      lastProblem =
        error instanceof Error && error.name === "TimeoutError"
          ? "help desk timed out"
          : "help desk unreachable";
    }
    if (Date.now() + wait >= deadline) {
      retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil(wait / 1000));
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  throw new WriteBackUnavailable(lastProblem, retryAfterSeconds);
}

/** Retry-After in seconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
function retryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : null;
}
