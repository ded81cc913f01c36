import { ConfigError } from "../util/errors.js";

export type TrackingBackend = "local" | "mlflow" | "clearml";

/** Inflow's configuration, from INFLOW_* and the standard variables, validated once at start. */
export interface InflowConfig {
  /** Everything derived (datasets, models, reports): the seed's "clean" bucket. */
  store: string;
  /** Raw input, never modified: the seed's "raw" bucket. */
  rawStore: string;
  tracking: TrackingBackend[];
  /** Where the local run store keeps runs. */
  runStore: string;
  mlflowTrackingUri?: string;
  clearmlApiHost?: string;
}

export const defaults = {
  store: "file://./.inflow/customer-sup-tickets-clean",
  rawStore: "file://./.inflow/customer-sup-tickets-raw",
  tracking: "local",
  runStore: "./.inflow/runs",
} as const;

const backends: readonly TrackingBackend[] = ["local", "mlflow", "clearml"];

/**
 * Reads the environment (and CLI overrides, which win) and reports every problem at once,
 * so a misconfigured pod fails with one clear message instead of the first of several.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<"store" | "rawStore" | "tracking", string>> = {},
): InflowConfig {
  const problems: string[] = [];
  const store = overrides.store ?? env.INFLOW_STORE ?? defaults.store;
  const rawStore = overrides.rawStore ?? env.INFLOW_RAW_STORE ?? defaults.rawStore;
  for (const [name, uri] of [
    ["INFLOW_STORE", store],
    ["INFLOW_RAW_STORE", rawStore],
  ] as const) {
    if (!/^(file|s3):\/\//.test(uri)) problems.push(`${name} must be a file:// or s3:// URI, got "${uri}"`);
  }
  const trackingText = overrides.tracking ?? env.INFLOW_TRACKING ?? defaults.tracking;
  const tracking = trackingText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean) as TrackingBackend[];
  for (const backend of tracking) {
    if (!backends.includes(backend)) {
      problems.push(`INFLOW_TRACKING: unknown backend "${backend}" (choose from ${backends.join(", ")})`);
    }
  }
  if (tracking.includes("mlflow") && !env.MLFLOW_TRACKING_URI) {
    problems.push("MLFLOW_TRACKING_URI is required when INFLOW_TRACKING includes mlflow");
  }
  if (tracking.includes("clearml")) {
    for (const name of ["CLEARML_API_HOST", "CLEARML_API_ACCESS_KEY", "CLEARML_API_SECRET_KEY"]) {
      if (!env[name]) problems.push(`${name} is required when INFLOW_TRACKING includes clearml`);
    }
  }
  const runStore = (env.INFLOW_RUN_STORE ?? defaults.runStore).replace(/^file:\/\//, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(runStore))
    problems.push(`INFLOW_RUN_STORE must be a local path or file:// URI, got "${runStore}"`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  return {
    store,
    rawStore,
    tracking: tracking.length > 0 ? tracking : ["local"],
    runStore,
    mlflowTrackingUri: env.MLFLOW_TRACKING_URI,
    clearmlApiHost: env.CLEARML_API_HOST,
  };
}
