import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { readObservability } from "../config/observability.js";

export type { Logger };

/**
 * Logs on stderr (stdout is reserved for the task's JSON summary): JSON lines, which pods and log
 * collectors read, unless stderr is a terminal, where a person reads the same records as short lines
 * (INFLOW_LOG_FORMAT=json keeps JSON there too). Ticket text never goes into a log line; log ids,
 * counts and hashes instead.
 */
export function createLogger(name: string, level = readObservability(process.env).logLevel): Logger {
  return pino(logRecordOptions(name, level), logsForPeople() ? readableLines() : pino.destination(2));
}

/** The fields every Inflow log record carries, for the task and the server loggers alike. */
export function logRecordOptions(name: string, level: string): LoggerOptions {
  return {
    name,
    level,
    base: { service: "inflow" },
    timestamp: pino.stdTimeFunctions.isoTime,
    // An error's cause stays its own field: pino's default serializer appends the cause's message to the
    // error's, and Inflow's messages already quote their cause (it read "…ENOENT…: ENOENT…" twice).
    serializers: { err: pino.stdSerializers.errWithCause },
  };
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
