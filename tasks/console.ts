import type { CommandModule } from "yargs";
import type { ConsoleOptions } from "../server/console/serve.js";
import { ConfigError, InputError } from "../src/util/errors.js";

/**
 * `inflow console`: the review console in the foreground, on the newest labelled tickets. Bad
 * configuration or an empty store exits 2 with the reason; SIGTERM/SIGINT close it cleanly.
 */
export const consoleCommand: CommandModule<object, ConsoleOptions> = {
  command: "console",
  describe: "Run the review console: rename, route, merge topics and label tickets in a browser",
  builder: (argv) =>
    argv
      .option("host", {
        type: "string",
        describe: "Listen address (env INFLOW_CONSOLE_HOST, default 127.0.0.1)",
      })
      .option("port", {
        type: "number",
        describe: "Listen port (env INFLOW_CONSOLE_PORT, default 8010; 0 = any)",
      })
      .option("store", { type: "string", describe: "Artifact store URI for derived data (env INFLOW_STORE)" })
      .option("raw-store", {
        type: "string",
        describe: "Artifact store URI for raw input (env INFLOW_RAW_STORE)",
      })
      .option("date", {
        type: "string",
        describe: "Review the newest labelled tickets on or before this date (default: today)",
      })
      .option("text-field", {
        type: "string",
        describe: "Text field of the raw tickets, as given to preprocess",
      })
      .option("id-field", {
        type: "string",
        describe: "Id field of the raw tickets, as given to preprocess",
      }),
  handler: async (options) => {
    // Loaded here so the batch tasks never load the web server.
    const { startConsole } = await import("../server/console/serve.js");
    const { createServerLogger } = await import("../server/logger.js");
    const log = createServerLogger();
    try {
      const running = await startConsole(process.env, options, log);
      const url = `http://${running.host === "0.0.0.0" ? "127.0.0.1" : running.host}:${running.port}/`;
      process.stderr.write(`\nInflow review console: ${url}\n`);
      if (running.generatedToken)
        process.stderr.write(
          `Sign in with this token (set INFLOW_CONSOLE_TOKEN to choose one): ${running.generatedToken}\n\n`,
        );
      const stop = (signal: string) => {
        log.info({ signal }, "signal received");
        void running.close().then(() => {
          log.flush();
          process.exit(0);
        });
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    } catch (error) {
      const inUse = (error as { code?: string }).code === "EADDRINUSE";
      if (!(error instanceof ConfigError || error instanceof InputError || inUse)) throw error;
      process.stderr.write(
        `${inUse ? `port in use: ${(error as Error).message}` : (error as Error).message}\n`,
      );
      process.exit(2);
    }
  },
};
