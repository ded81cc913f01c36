import { openStore } from "../../src/store/open.js";
import type { Logger } from "../../src/util/log.js";
import { ModelHolder } from "../model/holder.js";
import { startPredictionPool } from "../model/prediction-pool.js";
import { createModelSource } from "../model/source.js";
import type { StreamConfig } from "./config.js";
import { StreamMetrics, serveMetrics } from "./metrics.js";
import { runRawSink } from "./raw-sink.js";
import { runRouter } from "./router.js";

/** Starts one stream role with its metrics listener; resolves with the role's counts once `stop` aborts. */
export async function runStream(
  role: "router" | "sink",
  config: StreamConfig,
  log: Logger,
  stop: AbortSignal,
): Promise<Record<string, number>> {
  const metrics = new StreamMetrics();
  const server = await serveMetrics(metrics, config.metricsPort, log);
  try {
    if (role === "sink") {
      return {
        ...(await runRawSink(
          { config, rawStore: await openStore(config.rawStore, process.env, { create: true }), metrics, log },
          stop,
        )),
      };
    }
    // The same holder as `serve`: checksum/schema/warm-up checks, the old model kept on a bad deploy.
    // Classification on worker threads, as `serve` does: the main thread keeps fetching, producing
    // and committing meanwhile.
    const pool = config.workers > 0 ? startPredictionPool(config.workers, log) : null;
    const holder = new ModelHolder(
      createModelSource(config.modelSource, await openStore(config.store)),
      metrics,
      log,
      0,
      config.preprocess,
      config.textLimits,
      pool,
    );
    holder.startPolling(config.pollSeconds);
    try {
      return { ...(await runRouter({ config, holder, metrics, log }, stop)) };
    } finally {
      holder.stopPolling();
      await pool?.close();
    }
  } finally {
    server?.close();
  }
}
