import { readS3Settings, s3UriProblems } from "../store/s3-config.js";
import { type TextLimits, textLimitSettings } from "../text/limits.js";
import { readObservability } from "./observability.js";
import { IntegerIn, readSettings, setting, throwIfProblems } from "./variables.js";

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
  /** Set when INFLOW_TRACKING includes mlflow. */
  mlflow?: MlflowSettings;
  /** Set when INFLOW_TRACKING includes clearml. */
  clearml?: ClearmlSettings;
  /** Retries of a tracking call on server errors before the step fails (INFLOW_TRACKING_RETRIES). */
  trackingRetries: number;
  /** Work bounds per ticket for the pipeline and the API (INFLOW_MAX_TEXT_CHARS, INFLOW_MAX_TOKEN_CHARS). */
  textLimits: TextLimits;
  /** Where batch tasks push their run metrics (INFLOW_PUSHGATEWAY_URL); null: nowhere. */
  pushgatewayUrl: string | null;
}

/** MLflow's standard client variables. */
export interface MlflowSettings {
  trackingUri: string;
  username?: string;
  password?: string;
  token?: string;
}

/** ClearML's standard SDK variables. */
export interface ClearmlSettings {
  apiHost: string;
  /** CLEARML_WEB_HOST, or derived from the API host as ClearML's SDK does (api.→app., :8008→:8080). */
  webHost: string;
  /** CLEARML_FILES_HOST: when set, artifacts are uploaded there too. */
  filesHost?: string;
  accessKey: string;
  secretKey: string;
}

export const defaults = {
  store: "file://./.inflow/customer-sup-tickets-clean",
  rawStore: "file://./.inflow/customer-sup-tickets-raw",
  tracking: "local",
  runStore: "./.inflow/runs",
  trackingRetries: 5,
} as const;

const backends: readonly TrackingBackend[] = ["local", "mlflow", "clearml"];

export type ConfigOverrides = Partial<Record<"store" | "rawStore" | "tracking", string>>;

const numericSettings = {
  trackingRetries: setting("INFLOW_TRACKING_RETRIES", IntegerIn(0, 20), defaults.trackingRetries),
  ...textLimitSettings,
};

/**
 * Reads the environment (and CLI overrides, which win) and reports every problem at once,
 * so a misconfigured pod fails with one clear message instead of the first of several.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
): InflowConfig {
  const problems: string[] = [];
  const config = readConfig(env, overrides, problems);
  throwIfProblems(problems);
  return config;
}

/** Same, adding its problems to `problems` (a process with more settings lists them all together). */
export function readConfig(
  env: NodeJS.ProcessEnv,
  overrides: ConfigOverrides,
  problems: string[],
): InflowConfig {
  const store = overrides.store ?? env.INFLOW_STORE ?? defaults.store;
  const rawStore = overrides.rawStore ?? env.INFLOW_RAW_STORE ?? defaults.rawStore;
  let usesS3 = false;
  // A problem names where the value came from: the flag when one was given, else the variable.
  for (const [name, uri] of [
    [overrides.store === undefined ? "INFLOW_STORE" : "--store", store],
    [overrides.rawStore === undefined ? "INFLOW_RAW_STORE" : "--raw-store", rawStore],
  ] as const) {
    if (!/^(file|s3):\/\//.test(uri)) problems.push(`${name} must be a file:// or s3:// URI, got "${uri}"`);
    if (/^file:\/\/\/?$/.test(uri))
      problems.push(`${name} "${uri}" names no folder: use file://./relative/path or file:///absolute/path`);
    if (uri.startsWith("s3://")) {
      usesS3 = true;
      problems.push(...s3UriProblems(name, uri));
    }
  }
  if (usesS3) problems.push(...readS3Settings(env).problems);
  const trackingText = overrides.tracking ?? env.INFLOW_TRACKING ?? defaults.tracking;
  const tracking = trackingText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean) as TrackingBackend[];
  for (const backend of tracking) {
    if (!backends.includes(backend)) {
      problems.push(
        `${overrides.tracking === undefined ? "INFLOW_TRACKING" : "--tracking"}: unknown backend "${backend}" (choose from ${backends.join(", ")})`,
      );
    }
  }
  if (tracking.includes("mlflow") && !env.MLFLOW_TRACKING_URI) {
    problems.push("MLFLOW_TRACKING_URI is required when INFLOW_TRACKING includes mlflow");
  }
  if (tracking.includes("mlflow")) {
    if (env.MLFLOW_TRACKING_URI && !/^https?:\/\//.test(env.MLFLOW_TRACKING_URI))
      problems.push(
        `MLFLOW_TRACKING_URI must be an http(s):// tracking server, got "${env.MLFLOW_TRACKING_URI}"`,
      );
    if (env.MLFLOW_TRACKING_USERNAME && !env.MLFLOW_TRACKING_PASSWORD)
      problems.push("MLFLOW_TRACKING_PASSWORD is required with MLFLOW_TRACKING_USERNAME");
  }
  if (tracking.includes("clearml")) {
    for (const name of ["CLEARML_API_HOST", "CLEARML_API_ACCESS_KEY", "CLEARML_API_SECRET_KEY"]) {
      if (!env[name]) problems.push(`${name} is required when INFLOW_TRACKING includes clearml`);
    }
    for (const name of ["CLEARML_API_HOST", "CLEARML_WEB_HOST", "CLEARML_FILES_HOST"]) {
      const value = env[name];
      if (value && !/^https?:\/\//.test(value))
        problems.push(`${name} must be an http(s):// URL, got "${value}"`);
    }
  }
  const { trackingRetries, maxTextChars, maxTokenChars } = readSettings(env, numericSettings, problems);
  const { pushgatewayUrl } = readObservability(env, problems);
  const runStore = (env.INFLOW_RUN_STORE ?? defaults.runStore).replace(/^file:\/\//, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(runStore))
    problems.push(`INFLOW_RUN_STORE must be a local path or file:// URI, got "${runStore}"`);
  return {
    store,
    rawStore,
    tracking: tracking.length > 0 ? tracking : ["local"],
    runStore,
    mlflowTrackingUri: env.MLFLOW_TRACKING_URI,
    clearmlApiHost: env.CLEARML_API_HOST,
    mlflow: tracking.includes("mlflow")
      ? {
          trackingUri: env.MLFLOW_TRACKING_URI!,
          username: env.MLFLOW_TRACKING_USERNAME || undefined,
          password: env.MLFLOW_TRACKING_PASSWORD || undefined,
          token: env.MLFLOW_TRACKING_TOKEN || undefined,
        }
      : undefined,
    clearml: tracking.includes("clearml")
      ? {
          apiHost: env.CLEARML_API_HOST!,
          webHost: env.CLEARML_WEB_HOST || clearmlWebHost(env.CLEARML_API_HOST!),
          filesHost: env.CLEARML_FILES_HOST || undefined,
          accessKey: env.CLEARML_API_ACCESS_KEY!,
          secretKey: env.CLEARML_API_SECRET_KEY!,
        }
      : undefined,
    trackingRetries,
    textLimits: { maxTextChars, maxTokenChars },
    pushgatewayUrl,
  };
}

/** ClearML's SDK rule: the web app is the API host with api. → app. or port 8008 → 8080. */
export function clearmlWebHost(apiHost: string): string {
  const url = new URL(apiHost);
  if (url.hostname.startsWith("api.")) url.hostname = `app.${url.hostname.slice(4)}`;
  else if (url.port === "8008") url.port = "8080";
  return url.toString().replace(/\/+$/, "");
}
