import { openStore } from "../src/store/open.js";
import type { Logger } from "../src/util/log.js";
import { buildApp } from "./app.js";
import type { ServerConfig } from "./config.js";
import type { ApiInstance } from "./instance.js";
import { ApiMetrics } from "./metrics.js";
import { ModelHolder } from "./model/holder.js";
import { createModelSource } from "./model/source.js";
import type { ApiState } from "./state.js";

export interface RunningServer {
  app: ApiInstance;
  holder: ModelHolder;
  state: ApiState;
  /** The bound address, e.g. http://127.0.0.1:8000. */
  url: string;
  /** Readiness off, wait the shutdown delay, stop accepting, drain in-flight requests (bounded), close. */
  shutdown(): Promise<"drained" | "timed out">;
}

/**
 * Starts `inflow serve`: listens at once (health answers, ready stays 503 until a model is loaded),
 * loads the model from the source, and polls it for new versions.
 */
export async function startServer(
  config: ServerConfig,
  log: Logger,
  version?: string,
): Promise<RunningServer> {
  const store = await openStore(config.store);
  const metrics = new ApiMetrics();
  const holder = new ModelHolder(
    createModelSource(config.modelSource, store),
    metrics,
    log,
    config.explainTerms,
    config.preprocess,
    config,
  );
  const state: ApiState = { holder, shuttingDown: false };
  const app = await buildApp({ config, state, metrics, log, version });
  const url = await app.listen({ host: config.host, port: config.port });
  log.info({ url, model: config.modelSource, auth: config.apiToken !== null }, "listening");
  await holder.refresh();
  holder.startPolling(config.pollSeconds);

  let closing: Promise<"drained" | "timed out"> | null = null;
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
      const result = await Promise.race([app.close().then(() => "drained" as const), timeout]);
      clearTimeout(timer);
      log.info({ result }, "stopped");
      return result;
    })();
    return closing;
  };
  return { app, holder, state, url, shutdown };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
