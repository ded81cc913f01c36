import type { Logger } from "../../src/util/log.js";
import { openStore } from "../../stores/open.js";
import { ModelHolder } from "../model/holder.js";
import { startPredictionPool } from "../model/prediction-pool.js";
import { createModelSource, requireModelSource } from "../model/source.js";
import type { StreamConfig } from "./config.js";
import { withinShutdownGrace } from "./lifecycle.js";
import { StreamMetrics, serveMetrics } from "./metrics.js";
import { runRawSink } from "./raw-sink.js";
import { runRouter, SendFailed, UnroutedRecords } from "./router.js";
import { StallWatchdog } from "./watchdog.js";

/**
 * A role's counts once it stopped (on a signal; "stalled": stopped by the stall watchdog;
 * "send_failed": the broker did not acknowledge a send; "commit_refused": a commit would have passed
 * records this member never routed; `reason` says why), or that its shutdown
 * outlasted INFLOW_STREAM_SHUTDOWN_SECONDS.
 */
export type StreamOutcome =
  | { status: "ok" | "stalled"; counts: Record<string, number> }
  | { status: "send_failed" | "commit_refused"; counts: Record<string, number>; reason: string }
  | { status: "shutdown_timed_out" };

/**
 * Starts one stream role with its metrics listener and stall watchdog; resolves once `stop` aborts
 * or the watchdog stops it, with the role's counts, or after the shutdown grace period without them
 * (nothing committed after that: the records in flight are read again by the group's next member).
 */
export async function runStream(
  role: "router" | "sink",
  config: StreamConfig,
  log: Logger,
  stop: AbortSignal,
): Promise<StreamOutcome> {
  const metrics = new StreamMetrics();
  const server = await serveMetrics(metrics, config.metricsPort, log);
  // The watchdog stops the member as a signal would.
  const stalled = new AbortController();
  const watchdog = new StallWatchdog(config.stallSeconds, log, () => stalled.abort());
  const stopping = AbortSignal.any([stop, stalled.signal]);
  const bounded = async (work: Promise<object>): Promise<StreamOutcome> => {
    const result = await withinShutdownGrace(work, stopping, config.shutdownSeconds);
    if (result !== "timed out") return { status: watchdog.fired ? "stalled" : "ok", counts: { ...result } };
    log.warn(
      { seconds: config.shutdownSeconds, role },
      "shutdown not done within INFLOW_STREAM_SHUTDOWN_SECONDS (is the broker gone?): exiting without " +
        "committing the records in flight; the group's next member reads them again (none lost, some may be routed twice)",
    );
    return { status: "shutdown_timed_out" };
  };
  try {
    if (role === "sink") {
      const rawStore = await openStore(config.rawStore, process.env, { create: true });
      return await bounded(runRawSink({ config, rawStore, metrics, log, watchdog }, stopping));
    }
    const store = await openStore(config.store, process.env);
    // As `serve`: a model file, store folder or bucket that is not there exits 2 instead of polling forever.
    await requireModelSource(config.modelSource, store);
    // The same holder as `serve`: checksum/schema/warm-up checks, the old model kept on a bad deploy.
    // Classification on worker threads, as `serve` does: the main thread keeps fetching, producing
    // and committing meanwhile.
    const pool = config.workers > 0 ? startPredictionPool(config.workers, log) : null;
    const holder = new ModelHolder(
      createModelSource(config.modelSource, store),
      metrics,
      log,
      0,
      config.preprocess,
      config.textLimits,
      pool,
    );
    holder.startPolling(config.pollSeconds);
    try {
      return await bounded(runRouter({ config, holder, metrics, log, watchdog }, stopping));
    } catch (error) {
      if (error instanceof SendFailed)
        return { status: "send_failed", counts: { ...error.counts }, reason: error.message };
      if (error instanceof UnroutedRecords)
        return { status: "commit_refused", counts: { ...error.counts }, reason: error.message };
      throw error;
    } finally {
      holder.stopPolling();
      await pool?.close();
    }
  } finally {
    server?.close();
  }
}
