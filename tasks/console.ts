import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CommandModule } from "yargs";
import type { ConsoleOptions } from "../server/console/serve.js";
import { defaults } from "../src/config/env.js";
import { ConfigError, InputError } from "../src/util/errors.js";
import { failStart, tell } from "./start-messages.js";

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
      .option("store", {
        type: "string",
        describe: `Artifact store URI for derived data (env INFLOW_STORE, default ${defaults.store})`,
      })
      .option("raw-store", {
        type: "string",
        describe: `Artifact store URI for raw input (env INFLOW_RAW_STORE, default ${defaults.rawStore})`,
      })
      .option("date", {
        type: "string",
        describe: "Review the newest labelled tickets on or before this date (default: today)",
      }),
  handler: async (options) => {
    // Loaded here so the batch tasks never load the web server.
    const { startConsole } = await import("../server/console/serve.js");
    const { createServerLogger } = await import("../server/logger.js");
    const log = createServerLogger("console");
    try {
      const running = await startConsole(process.env, options, log);
      const url = `http://${running.host === "0.0.0.0" ? "127.0.0.1" : running.host}:${running.port}/`;
      tell("console", `Inflow review console: ${url}`);
      const tokenFile = running.generatedToken ? showGeneratedToken(running.generatedToken) : null;
      const stop = (signal: string) => {
        log.info({ signal }, "signal received");
        void running.close().then(() => {
          if (tokenFile) rmSync(dirname(tokenFile), { recursive: true, force: true });
          log.flush();
          process.exit(0);
        });
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    } catch (error) {
      const inUse = (error as { code?: string }).code === "EADDRINUSE";
      if (!(error instanceof ConfigError || error instanceof InputError || inUse)) throw error;
      failStart("console", inUse ? `port in use: ${(error as Error).message}` : (error as Error).message);
    }
  },
};

/**
 * A generated sign-in token is a secret: a person at a terminal reads it there, but off a terminal
 * stderr is a log, so it goes to a file only this user can read (in a private temp folder, removed
 * at exit) and the log names the file. Returns that file, or null when the token was printed.
 */
function showGeneratedToken(token: string): string | null {
  const hint = "set INFLOW_CONSOLE_TOKEN to choose one";
  if (process.stderr.isTTY) {
    process.stderr.write(`Sign in with this token (${hint}): ${token}\n`);
    return null;
  }
  const file = join(mkdtempSync(join(tmpdir(), "inflow-console-")), "token");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // A warning: a service should be given its secret, and the path must show at any log level.
  tell("console", `Sign-in token written to ${file}, readable by this user only (${hint})`, "warn");
  return file;
}
