import { OneOf, readSettings, type Settings, setting, Text } from "./variables.js";

/**
 * How Inflow reports on itself: its logs and the Pushgateway its batch tasks push to. The logger
 * exists before any configuration is read, so it takes these leniently (an invalid value falls
 * back to the default); `readConfig` reads the same settings strictly and fails the process with
 * the problem, so a typo is never silently ignored.
 */
export const observabilitySettings = {
  logLevel: setting(
    "INFLOW_LOG_LEVEL",
    OneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const),
    "info",
  ),
  /** `auto`: JSON lines off a terminal, short readable lines on one; `json`: JSON everywhere. */
  logFormat: setting("INFLOW_LOG_FORMAT", OneOf(["auto", "json"] as const), "auto"),
  pushgatewayUrl: setting(
    "INFLOW_PUSHGATEWAY_URL",
    Text({ pattern: "^https?://[^\\s/]+", description: "an http(s):// URL" }),
    null,
  ),
};

export type Observability = Settings<typeof observabilitySettings>;

/** The settings, adding any problem to `problems` (and keeping the default in its place). */
export function readObservability(env: NodeJS.ProcessEnv, problems: string[] = []): Observability {
  return readSettings(env, observabilitySettings, problems);
}
