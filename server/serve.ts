import type { ModelRegistry } from "../src/tracking/registry.js";
import type { Logger } from "../src/util/log.js";
import { openStore } from "../stores/open.js";
import { buildApp, buildMetricsApp } from "./app.js";
import type { ServerConfig } from "./config.js";
import type { ApiInstance } from "./instance.js";
import { ApiMetrics } from "./metrics.js";
import { ModelHolder } from "./model/holder.js";
import { startPredictionPool } from "./model/prediction-pool.js";
import { createModelSource, requireModelSource } from "./model/source.js";
import type { ApiState } from "./state.js";
import type { WebhookConfig } from "./webhooks/config.js";

export interface RunningServer {
  app: ApiInstance;
  holder: ModelHolder;
  state: ApiState;
  /** The bound address, e.g. http://127.0.0.1:8000. */
  url: string;
  /** The metrics port's address when INFLOW_METRICS_PORT is set. */
  metricsUrl: string | null;
  /**
   * Readiness off, wait the shutdown delay, stop accepting, drain in-flight requests; connections
   * still open after the drain period (slow or stuck clients) are closed.
   */
  shutdown(): Promise<ShutdownResult>;
}

export type ShutdownResult = "drained" | "closed slow connections";

/**
 * Starts `inflow serve`: listens at once (health answers, ready stays 503 until a model is loaded),
 * loads the model from the source, and polls it for new versions.
 */
export async function startServer(
  config: ServerConfig,
  log: Logger,
  version?: string,
  webhooks?: WebhookConfig,
  /** The model registry, for a `models:/<name>@<alias>` model source. */
  registry: ModelRegistry | null = null,
): Promise<RunningServer> {
  const store = await openStore(config.store, process.env);
  const metrics = new ApiMetrics();
  const pool = config.workers > 0 ? startPredictionPool(config.workers, log) : null;
  const holder = new ModelHolder(
    createModelSource(config.modelSource, store, registry),
    metrics,
    log,
    config.explainTerms,
    config.preprocess,
    config,
    pool,
  );
  const state: ApiState = { holder, shuttingDown: false };
  const app = await buildApp({ config, state, metrics, log, version, webhooks });
  const metricsApp = config.metricsPort === null ? null : await buildMetricsApp(metrics, log);
  let url: string;
  let metricsUrl: string | null = null;
  try {
    url = await app.listen({ host: config.host, port: config.port });
    metricsUrl = (await metricsApp?.listen({ host: config.host, port: config.metricsPort! })) ?? null;
    // A model file, store folder or bucket that is not there fails the start (exit 2), as in the
    // console: polling it would wait forever. Checked once listening, so health answers meanwhile.
    await requireModelSource(config.modelSource, store);
  } catch (error) {
    await Promise.all([app.close(), metricsApp?.close()]);
    await pool?.close();
    throw error;
  }
  log.info({ url, metricsUrl, model: config.modelSource, auth: config.apiToken !== null }, "listening");
  await holder.refresh();
  holder.startPolling(config.pollSeconds);

  let closing: Promise<ShutdownResult> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      state.shuttingDown = true;
      holder.stopPolling();
      log.info(
        { delaySeconds: config.shutdownDelaySeconds, drainSeconds: config.drainSeconds },
        "shutting down",
      );
      await sleep(config.shutdownDelaySeconds * 1000);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timed out">((resolve) => {
        timer = setTimeout(() => resolve("timed out"), config.drainSeconds * 1000);
      });
      const closed = Promise.all([app.close(), metricsApp?.close()]);
      let result: ShutdownResult = "drained";
      if ((await Promise.race([closed.then(() => "drained" as const), timeout])) === "timed out") {
        // A client still sending its request (or never reading the answer) must not keep the pod
        // alive past its grace period: its connection is cut and the shutdown completes normally.
        result = "closed slow connections";
        app.server.closeAllConnections();
        metricsApp?.server.closeAllConnections();
        await closed;
      }
      clearTimeout(timer);
      await pool?.close();
      log.info({ result }, "stopped");
      return result;
    })();
    return closing;
  };
  return { app, holder, state, url, metricsUrl, shutdown };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
