import { type DestinationStream, type Logger, pino } from "pino";
import { readObservability } from "../config/observability.js";

export type { Logger };

/**
 * Logs on stderr (stdout is reserved for the task's JSON summary): JSON lines, which pods and log
 * collectors read, unless stderr is a terminal, where a person reads the same records as short lines
 * (INFLOW_LOG_FORMAT=json keeps JSON there too). Ticket text never goes into a log line; log ids,
 * counts and hashes instead.
 */
export function createLogger(name: string, level = readObservability(process.env).logLevel): Logger {
  return pino(
    { name, level, base: { service: "inflow" }, timestamp: pino.stdTimeFunctions.isoTime },
    logsForPeople() ? readableLines() : pino.destination(2),
  );
}

/** Whether logs and errors go to a person at a terminal rather than to a log collector. */
export function logsForPeople(): boolean {
  return process.stderr.isTTY === true && readObservability(process.env).logFormat !== "json";
}

/** `12:00:03 info tickets.train: task started date=2026-03-09`: logs as a person at a terminal reads them. */
export function readableLines(): DestinationStream {
  return {
    write(json: string) {
      const {
        level,
        time,
        name,
        msg,
        err,
        service: _,
        ...fields
      } = JSON.parse(json) as Record<string, unknown>;
      const parts = [String(time).slice(11, 19), pino.levels.labels[Number(level)], `${name}: ${msg}`];
      for (const [key, value] of Object.entries(fields))
        parts.push(`${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
      // A debug record's error is there for its stack trace; elsewhere the message says enough.
      const error = err as { message?: string; stack?: string } | undefined;
      if (error)
        parts.push(Number(level) <= pino.levels.values.debug! ? `\n${error.stack}` : `(${error.message})`);
      process.stderr.write(`${parts.join(" ")}\n`);
    },
  };
}
