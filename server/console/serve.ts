import { ReviewWorkspace } from "../../src/review/workspace.js";
import { parseLogicalDate } from "../../src/util/dates.js";
import type { Logger } from "../../src/util/log.js";
import { openStore } from "../../stores/open.js";
import { buildConsole } from "./app.js";
import { loadConsoleConfig } from "./config.js";

/** `inflow console`'s options (CLI flags; the environment fills in the rest). */
export interface ConsoleOptions {
  host?: string;
  port?: number;
  store?: string;
  "raw-store"?: string;
  date?: string;
}

export interface RunningConsole {
  host: string;
  port: number;
  /** The sign-in token when none was configured (printed once at start), else null. */
  generatedToken: string | null;
  close(): Promise<void>;
}

/** Loads the configuration and the workspace, then listens. Throws ConfigError/InputError on bad setup. */
export async function startConsole(
  env: NodeJS.ProcessEnv,
  options: ConsoleOptions,
  log: Logger,
): Promise<RunningConsole> {
  const config = loadConsoleConfig(env, {
    host: options.host,
    port: options.port,
    store: options.store,
    rawStore: options["raw-store"],
  });
  const date = parseLogicalDate(options.date ?? new Date().toISOString().slice(0, 10));
  const [store, rawStore] = await Promise.all([openStore(config.store), openStore(config.rawStore)]);
  const workspace = await ReviewWorkspace.open(store, rawStore, date);
  const app = await buildConsole({ config, workspace, log });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  log.info(
    { host: config.host, port, store: config.store, date: workspace.date, tickets: workspace.tickets.length },
    "console listening",
  );
  return {
    host: config.host,
    port,
    generatedToken: config.tokenGenerated ? config.token : null,
    close: () => app.close(),
  };
}
