import type { CommandModule } from "yargs";
import { ConfigError } from "../src/util/errors.js";

interface ServeOptions {
  host?: string;
  port?: number;
  model?: string;
  store?: string;
}

/**
 * `inflow serve`: the classify API in the foreground. SIGTERM/SIGINT: readiness goes false, in-flight
 * requests drain, exit 0 (1 when the drain timed out). Bad configuration exits 2 with every problem listed.
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
        describe: 'Model source: "champion", a store URI or a local file (env INFLOW_MODEL)',
      })
      .option("store", { type: "string", describe: "Artifact store URI (env INFLOW_STORE)" }) as never,
  handler: async (options) => {
    // Loaded here so the batch tasks never load the web server.
    const { loadServerConfig } = await import("../server/config.js");
    const { createServerLogger } = await import("../server/logger.js");
    const { startServer } = await import("../server/serve.js");
    const { loadWebhookConfig } = await import("../server/webhooks/config.js");
    const log = createServerLogger();
    let config: ReturnType<typeof loadServerConfig>;
    let webhooks: ReturnType<typeof loadWebhookConfig>;
    try {
      webhooks = loadWebhookConfig(process.env);
      config = loadServerConfig(process.env, {
        host: options.host,
        port: options.port,
        modelSource: options.model,
        store: options.store,
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    // Signals are handled from the first moment: a SIGTERM while the model is still loading waits for the
    // start to finish, then drains, instead of killing the process mid-request.
    const starting = startServer(config, log, process.env.npm_package_version, webhooks);
    const stop = (signal: string) => {
      log.info({ signal }, "signal received");
      void starting
        .then((server) => server.shutdown())
        .then((result) => {
          log.flush();
          process.exit(result === "drained" ? 0 : 1);
        });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    await starting;
  },
};
