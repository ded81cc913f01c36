import type { CommandModule } from "yargs";
import { defaults } from "../src/config/env.js";
import type { ModelRegistry } from "../src/tracking/registry.js";
import { ConfigError } from "../src/util/errors.js";
import { failStart } from "./start-messages.js";

interface ServeOptions {
  host?: string;
  port?: number;
  model?: string;
  store?: string;
}

/**
 * `inflow serve`: the classify API in the foreground. SIGTERM/SIGINT: readiness goes false, in-flight
 * requests drain, connections still open after the drain period are closed, exit 0. Bad configuration
 * (among it a model file, store folder or bucket that does not exist) or a port that cannot be bound
 * exits 2 with one readable message.
 */
export const serveCommand: CommandModule<object, ServeOptions> = {
  command: "serve",
  describe: "Run the classify API (POST /api/predict, probes, /metrics, /docs)",
  builder: (argv) =>
    argv
      .option("host", { type: "string", describe: "Listen address (env INFLOW_API_HOST, default 0.0.0.0)" })
      .option("port", {
        type: "number",
        describe: "Listen port (env INFLOW_API_PORT, default 8000; 0 = any)",
      })
      .option("model", {
        type: "string",
        describe:
          'Model source: "champion" (the store\'s pointer), "models:/inflow-ticket-router@champion" (its MLflow mirror), a store URI or a local file (env INFLOW_MODEL, default champion)',
      })
      .option("store", {
        type: "string",
        describe: `Artifact store URI (env INFLOW_STORE, default ${defaults.store})`,
      }),
  handler: async (options) => {
    // Loaded here so the batch tasks never load the web server.
    const { loadApiConfig } = await import("../server/config.js");
    const { createServerLogger } = await import("../server/logger.js");
    const { startServer } = await import("../server/serve.js");
    const log = createServerLogger();
    let config: ReturnType<typeof loadApiConfig>["server"];
    let webhooks: ReturnType<typeof loadApiConfig>["webhooks"];
    let registry: ModelRegistry | null = null;
    try {
      ({ server: config, webhooks } = loadApiConfig(process.env, {
        host: options.host,
        port: options.port,
        modelSource: options.model,
        store: options.store,
      }));
      // `models:/inflow-ticket-router@champion` follows MLflow's alias, the mirror of the champion pointer.
      // Loaded only then: `inflow serve` on the store's pointer starts without the tracking clients.
      if (config.modelSource.startsWith("models:/")) {
        const { loadConfig } = await import("../src/config/env.js");
        const { openModelRegistry } = await import("./trackers.js");
        registry = openModelRegistry(loadConfig(process.env));
        if (!registry)
          throw new ConfigError(
            `--model ${config.modelSource} follows an MLflow alias: set INFLOW_TRACKING=mlflow and MLFLOW_TRACKING_URI`,
          );
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      failStart("serve", error.message);
    }
    // Signals are handled from the first moment: a SIGTERM while the model is still loading waits for the
    // start to finish, then drains, instead of killing the process mid-request.
    const starting = startServer(config, log, process.env.npm_package_version, webhooks, registry).catch(
      (error: unknown) => {
        if (error instanceof ConfigError) failStart("serve", error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EADDRINUSE" && code !== "EACCES") throw error;
        const { address, port } = error as { address?: string; port?: number };
        const why = code === "EADDRINUSE" ? "is already in use" : "needs privileges this process lacks";
        failStart(
          "serve",
          `inflow serve: ${address ?? config.host}:${port ?? config.port} ${why}; choose another with --port or INFLOW_API_PORT (INFLOW_METRICS_PORT for metrics)`,
        );
      },
    );
    const stop = (signal: string) => {
      log.info({ signal }, "signal received");
      void starting
        .then((server) => server.shutdown())
        .then(() => {
          log.flush();
          process.exit(0);
        });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    await starting;
  },
};
