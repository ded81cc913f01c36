import { type Logger, pino } from "pino";
import { readObservability } from "../src/config/observability.js";

/**
 * The server's JSON log on stderr, same fields as the task logs (src/util/log.ts), but written
 * through a buffered asynchronous destination: one access-log line per request must not cost a
 * synchronous write at thousands of requests per second. `flush()` before exit.
 */
export function createServerLogger(level = readObservability(process.env).logLevel): Logger {
  return pino(
    { name: "serve", level, base: { service: "inflow" }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 2, sync: false, minLength: 4096 }),
  );
}
