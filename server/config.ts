import { availableParallelism } from "node:os";
import { Type } from "@sinclair/typebox";
import { type PreprocessMode, preprocessModes } from "../src/classify/lexicon.js";
import { readConfig } from "../src/config/env.js";
import {
  IntegerIn,
  NumberIn,
  OneOf,
  Port,
  readSettings,
  setting,
  Text,
  throwIfProblems,
} from "../src/config/variables.js";
import { defaultTextLimits, type TextLimits } from "../src/text/limits.js";
import { readWebhookConfig, type WebhookConfig } from "./webhooks/config.js";

/** What to do with a ticket text longer than the limit. */
export type LongTextPolicy = "truncate" | "reject";

/** The classify API's settings (INFLOW_API_*, INFLOW_MODEL*), validated once at start. */
export interface ServerConfig extends TextLimits {
  host: string;
  port: number;
  /** "champion" (the store's champion pointer), a store URI, or a local file. */
  modelSource: string;
  /** Artifact store the model source is resolved in (INFLOW_STORE). */
  store: string;
  /** Bearer token required on /api/predict and /api/model when set. */
  apiToken: string | null;
  /** How often the model source is checked for a new version; 0 turns polling off. */
  pollSeconds: number;
  bodyLimitBytes: number;
  maxBatch: number;
  longText: LongTextPolicy;
  explainTerms: number;
  /**
   * Text → terms for served predictions: "lexicon" (word-level tagging with cached words, the
   * default: agrees with "exact" on ≥ 99.5% of tickets, bench/results/api.json) or "exact" (the
   * model's own preprocessing, as the pipeline ran it).
   */
  preprocess: PreprocessMode;
  /**
   * Worker threads that classify long or slow texts off the event loop (server/model/classify.ts);
   * 0 classifies everything in the main thread, pausing between slices of work.
   */
  workers: number;
  /** After SIGTERM: keep serving (not ready) this long so load balancers stop sending, then drain. */
  shutdownDelaySeconds: number;
  /** In-flight requests get this long to finish after the listener closes; then connections are closed. */
  drainSeconds: number;
  /** A request's headers must arrive within this (slow-loris), checked every second. */
  headersTimeoutSeconds: number;
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutSeconds: number;
  /** An idle keep-alive connection is closed after this (above load balancers' idle timeouts). */
  keepAliveTimeoutSeconds: number;
  /** A connection with no traffic either way for this long is closed. */
  idleTimeoutSeconds: number;
  /** When set, /metrics is served on this port only (unauthenticated, for an internal scrape) and not on `port`. */
  metricsPort: number | null;
  accessLog: boolean;
}

export const serverDefaults = {
  host: "0.0.0.0",
  port: 8000,
  modelSource: "champion",
  pollSeconds: 30,
  bodyLimitBytes: 1_048_576,
  maxBatch: 256,
  ...defaultTextLimits,
  longText: "truncate" as LongTextPolicy,
  explainTerms: 5,
  preprocess: "lexicon" as PreprocessMode,
  // One core is left to the event loop (HTTP, JSON, validation); the rest tag and classify. At most
  // 4: each worker holds its own wink model (~55 MiB), and pods scale out rather than up.
  workers: Math.max(1, Math.min(4, availableParallelism() - 1)),
  shutdownDelaySeconds: 0,
  drainSeconds: 25,
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 72,
  idleTimeoutSeconds: 120,
  accessLog: true,
};

export type ServerOverrides = Partial<Pick<ServerConfig, "host" | "port" | "modelSource" | "store">>;

const serverSettings = {
  host: setting("INFLOW_API_HOST", Text(), serverDefaults.host),
  port: setting("INFLOW_API_PORT", Port, serverDefaults.port),
  modelSource: setting("INFLOW_MODEL", Text(), serverDefaults.modelSource),
  apiToken: setting(
    "INFLOW_API_TOKEN",
    Text({ minLength: 16, description: "at least 16 characters (or unset to turn auth off)" }),
    null,
    { secret: true },
  ),
  pollSeconds: setting("INFLOW_MODEL_POLL_SECONDS", NumberIn(0, 86_400), serverDefaults.pollSeconds),
  bodyLimitBytes: setting(
    "INFLOW_API_BODY_LIMIT_BYTES",
    IntegerIn(1024, 1 << 30),
    serverDefaults.bodyLimitBytes,
  ),
  maxBatch: setting("INFLOW_API_MAX_BATCH", IntegerIn(1, 100_000), serverDefaults.maxBatch),
  longText: setting(
    "INFLOW_API_LONG_TEXT",
    OneOf<LongTextPolicy>(["truncate", "reject"]),
    serverDefaults.longText,
  ),
  explainTerms: setting("INFLOW_API_EXPLAIN_TERMS", IntegerIn(0, 100), serverDefaults.explainTerms),
  preprocess: setting("INFLOW_API_PREPROCESS", OneOf(preprocessModes), serverDefaults.preprocess),
  workers: setting("INFLOW_API_WORKERS", IntegerIn(0, 64), serverDefaults.workers),
  shutdownDelaySeconds: setting(
    "INFLOW_API_SHUTDOWN_DELAY_SECONDS",
    NumberIn(0, 600),
    serverDefaults.shutdownDelaySeconds,
  ),
  drainSeconds: setting("INFLOW_API_DRAIN_SECONDS", NumberIn(0, 3600), serverDefaults.drainSeconds),
  headersTimeoutSeconds: setting(
    "INFLOW_API_HEADERS_TIMEOUT_SECONDS",
    NumberIn(1, 600),
    serverDefaults.headersTimeoutSeconds,
  ),
  requestTimeoutSeconds: setting(
    "INFLOW_API_REQUEST_TIMEOUT_SECONDS",
    NumberIn(1, 3600),
    serverDefaults.requestTimeoutSeconds,
  ),
  keepAliveTimeoutSeconds: setting(
    "INFLOW_API_KEEP_ALIVE_TIMEOUT_SECONDS",
    NumberIn(1, 3600),
    serverDefaults.keepAliveTimeoutSeconds,
  ),
  idleTimeoutSeconds: setting(
    "INFLOW_API_IDLE_TIMEOUT_SECONDS",
    NumberIn(1, 3600),
    serverDefaults.idleTimeoutSeconds,
  ),
  metricsPort: setting("INFLOW_METRICS_PORT", Port, null),
  accessLog: setting("INFLOW_API_ACCESS_LOG", Type.Boolean(), serverDefaults.accessLog),
};

/** Reads the environment (CLI overrides win) and lists every problem at once in one ConfigError. */
export function loadServerConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ServerOverrides = {},
): ServerConfig {
  const problems: string[] = [];
  const config = readServerConfig(env, overrides, problems);
  throwIfProblems(problems);
  return config;
}

/** `inflow serve`'s configuration: the API's and its webhooks', every problem of both in one ConfigError. */
export function loadApiConfig(
  env: NodeJS.ProcessEnv,
  overrides: ServerOverrides = {},
): { server: ServerConfig; webhooks: WebhookConfig } {
  const problems: string[] = [];
  const webhooks = readWebhookConfig(env, problems);
  const server = readServerConfig(env, overrides, problems);
  throwIfProblems(problems);
  return { server, webhooks };
}

/** Same as loadServerConfig, adding its problems to `problems`. */
export function readServerConfig(
  env: NodeJS.ProcessEnv,
  overrides: ServerOverrides,
  problems: string[],
): ServerConfig {
  const { store, textLimits } = readConfig(env, { store: overrides.store }, problems);
  const config: ServerConfig = {
    ...readSettings(env, serverSettings, problems),
    ...textLimits,
    store,
  };
  if (overrides.host !== undefined) config.host = overrides.host;
  if (overrides.port !== undefined) config.port = overrides.port;
  if (overrides.modelSource !== undefined) config.modelSource = overrides.modelSource;
  if (config.headersTimeoutSeconds > config.requestTimeoutSeconds) {
    problems.push("INFLOW_API_HEADERS_TIMEOUT_SECONDS must not exceed INFLOW_API_REQUEST_TIMEOUT_SECONDS");
  }
  if (config.metricsPort !== null && config.metricsPort !== 0 && config.metricsPort === config.port) {
    problems.push("INFLOW_METRICS_PORT must differ from the API port");
  }
  return config;
}
