import { availableParallelism } from "node:os";
import { type PreprocessMode, preprocessModes } from "../src/classify/lexicon.js";
import { defaults, loadConfig } from "../src/config/env.js";
import { defaultTextLimits, type TextLimits } from "../src/text/limits.js";
import { ConfigError } from "../src/util/errors.js";

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
  longText: "truncate",
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
} as const;

export type ServerOverrides = Partial<Pick<ServerConfig, "host" | "port" | "modelSource" | "store">>;

/** Reads the environment (CLI overrides win) and lists every problem at once in one ConfigError. */
export function loadServerConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ServerOverrides = {},
): ServerConfig {
  const problems: string[] = [];
  let store = overrides.store ?? env.INFLOW_STORE ?? defaults.store;
  let textLimits: TextLimits = defaultTextLimits;
  try {
    ({ store, textLimits } = loadConfig(env, { store: overrides.store }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.message.split("\n  - ").slice(1));
  }
  const read = new EnvReader(env, problems);
  const config: ServerConfig = {
    host: overrides.host ?? env.INFLOW_API_HOST ?? serverDefaults.host,
    port: overrides.port ?? read.integer("INFLOW_API_PORT", serverDefaults.port, 0, 65_535),
    modelSource: overrides.modelSource ?? nonEmpty(env.INFLOW_MODEL) ?? serverDefaults.modelSource,
    store,
    apiToken: nonEmpty(env.INFLOW_API_TOKEN) ?? null,
    pollSeconds: read.number("INFLOW_MODEL_POLL_SECONDS", serverDefaults.pollSeconds, 0, 86_400),
    bodyLimitBytes: read.integer("INFLOW_API_BODY_LIMIT_BYTES", serverDefaults.bodyLimitBytes, 1024, 1 << 30),
    maxBatch: read.integer("INFLOW_API_MAX_BATCH", serverDefaults.maxBatch, 1, 100_000),
    ...textLimits,
    longText: read.choice("INFLOW_API_LONG_TEXT", serverDefaults.longText, ["truncate", "reject"]),
    explainTerms: read.integer("INFLOW_API_EXPLAIN_TERMS", serverDefaults.explainTerms, 0, 100),
    preprocess: read.choice("INFLOW_API_PREPROCESS", serverDefaults.preprocess, preprocessModes),
    workers: read.integer("INFLOW_API_WORKERS", serverDefaults.workers, 0, 64),
    shutdownDelaySeconds: read.number(
      "INFLOW_API_SHUTDOWN_DELAY_SECONDS",
      serverDefaults.shutdownDelaySeconds,
      0,
      600,
    ),
    drainSeconds: read.number("INFLOW_API_DRAIN_SECONDS", serverDefaults.drainSeconds, 0, 3600),
    headersTimeoutSeconds: read.number(
      "INFLOW_API_HEADERS_TIMEOUT_SECONDS",
      serverDefaults.headersTimeoutSeconds,
      1,
      600,
    ),
    requestTimeoutSeconds: read.number(
      "INFLOW_API_REQUEST_TIMEOUT_SECONDS",
      serverDefaults.requestTimeoutSeconds,
      1,
      3600,
    ),
    keepAliveTimeoutSeconds: read.number(
      "INFLOW_API_KEEP_ALIVE_TIMEOUT_SECONDS",
      serverDefaults.keepAliveTimeoutSeconds,
      1,
      3600,
    ),
    idleTimeoutSeconds: read.number(
      "INFLOW_API_IDLE_TIMEOUT_SECONDS",
      serverDefaults.idleTimeoutSeconds,
      1,
      3600,
    ),
    metricsPort:
      nonEmpty(env.INFLOW_METRICS_PORT) === undefined
        ? null
        : read.integer("INFLOW_METRICS_PORT", 0, 0, 65_535),
    accessLog: read.choice("INFLOW_API_ACCESS_LOG", "true", ["true", "false"]) === "true",
  };
  if (config.apiToken !== null && config.apiToken.length < 16) {
    problems.push("INFLOW_API_TOKEN must be at least 16 characters (or unset to turn auth off)");
  }
  if (config.headersTimeoutSeconds > config.requestTimeoutSeconds) {
    problems.push("INFLOW_API_HEADERS_TIMEOUT_SECONDS must not exceed INFLOW_API_REQUEST_TIMEOUT_SECONDS");
  }
  if (config.metricsPort !== null && config.metricsPort !== 0 && config.metricsPort === config.port) {
    problems.push("INFLOW_METRICS_PORT must differ from the API port");
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  return config;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Parses optional variables, recording a problem (and returning the default) for each bad one. */
export class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly problems: string[],
  ) {}

  number(name: string, fallback: number, min: number, max: number): number {
    const text = nonEmpty(this.env[name]);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name} must be a number in [${min}, ${max}], got "${text}"`);
      return fallback;
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.number(name, fallback, min, max);
    if (!Number.isInteger(value)) {
      this.problems.push(`${name} must be an integer, got "${this.env[name]}"`);
      return fallback;
    }
    return value;
  }

  choice<T extends string>(name: string, fallback: T, choices: readonly T[]): T {
    const text = nonEmpty(this.env[name]);
    if (text === undefined) return fallback;
    if (!(choices as readonly string[]).includes(text)) {
      this.problems.push(`${name} must be one of ${choices.join(", ")}, got "${text}"`);
      return fallback;
    }
    return text as T;
  }
}
