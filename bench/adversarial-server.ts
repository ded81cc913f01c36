/**
 * The API for bench/adversarial.ts in its own process (so the load generator's work never counts as
 * the server's): started by fork, it reports its URL and worker threads, and on each "stop" message its event loop's
 * longest block since the previous "start".
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { serverDefaults } from "../server/config.js";
import { startTestApi } from "../test/harness/api-server.js";

// The served defaults, including the worker pool (INFLOW_API_WORKERS, or BENCH_WORKERS here).
const workers = Number(process.env.BENCH_WORKERS ?? serverDefaults.workers);
const api = await startTestApi({ bodyLimitBytes: 4 << 20, workers });
const loop = monitorEventLoopDelay({ resolution: 1 });
process.on("message", async (message: string) => {
  if (message === "start") {
    loop.reset();
    loop.enable();
  } else if (message === "stop") {
    loop.disable();
    process.send!({ maxBlockMs: loop.max / 1e6, p99BlockMs: loop.percentile(99) / 1e6 });
  } else if (message === "close") {
    await api.close();
    process.exit(0);
  }
});
process.send!({ url: api.url, workers });
