import { type Logger, pino } from "pino";
import { readObservability } from "../src/config/observability.js";
import { logRecordOptions, logsForPeople, readableLines } from "../src/util/log.js";

/**
 * The server's JSON log on stderr, same fields as the task logs (src/util/log.ts), but written
 * through a buffered asynchronous destination: one access-log line per request must not cost a
 * synchronous write at thousands of requests per second. The buffer is flushed every second, so a
 * quiet pod's log (start, a refused model) still shows at once; `flush()` before exit. On a terminal
 * (`npx inflow console` on a laptop) a person reads the same records as short lines, as a task's.
 */
export function createServerLogger(name = "serve", level = readObservability(process.env).logLevel): Logger {
  const logger = pino(
    logRecordOptions(name, level),
    logsForPeople() ? readableLines() : pino.destination({ dest: 2, sync: false, minLength: 4096 }),
  );
  setInterval(() => logger.flush(), 1000).unref();
  return logger;
}
