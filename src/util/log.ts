import { type Logger, pino } from "pino";

export type { Logger };

/**
 * Structured JSON logs on stderr (stdout is reserved for the task's JSON summary).
 * Ticket text never goes into a log line; log ids, counts and hashes instead.
 */
export function createLogger(name: string, level = process.env.INFLOW_LOG_LEVEL ?? "info"): Logger {
  return pino(
    { name, level, base: { service: "inflow" }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination(2),
  );
}
