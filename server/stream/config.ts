import { type PreprocessMode, preprocessModes } from "../../src/classify/lexicon.js";
import { defaults, type InflowConfig, loadConfig } from "../../src/config/env.js";
import { defaultTextLimits, type TextLimits } from "../../src/text/limits.js";
import { ConfigError } from "../../src/util/errors.js";
import { EnvReader, nonEmpty, serverDefaults } from "../config.js";

/** `inflow stream`'s settings (INFLOW_KAFKA_*, INFLOW_STREAM_*, and the model variables `serve` reads). */
export interface StreamConfig {
  brokers: string[];
  clientId: string;
  /** Raw tickets in: one JSON ticket per record, in a shape POST /api/predict accepts. */
  topicIn: string;
  /** Routed tickets out, keyed by ticket id. */
  topicRouted: string;
  /** Records that could not be routed, with the reason in headers. */
  topicDeadLetter: string;
  /** The router's consumer group (every replica of the Deployment joins it). */
  groupId: string;
  /** The raw sink's consumer group: it reads the same topic independently of the router. */
  sinkGroupId: string;
  /** Broker-side session timeout: how soon a crashed member's partitions move to another member. */
  sessionTimeoutMs: number;
  /** Most records classified and produced per round trip (the unit that is acknowledged, then committed). */
  batchSize: number;
  /** The sink writes one raw file per partition after this many records or seconds, whichever comes first. */
  sinkFlushRecords: number;
  sinkFlushSeconds: number;
  /** Prometheus metrics on http://0.0.0.0:<port>/metrics; 0 turns the listener off. */
  metricsPort: number;
  modelSource: string;
  store: string;
  rawStore: string;
  pollSeconds: number;
  preprocess: PreprocessMode;
  /** INFLOW_MAX_TEXT_CHARS / INFLOW_MAX_TOKEN_CHARS, as the pipeline and the API bound a ticket's work. */
  textLimits: TextLimits;
}

export const streamDefaults = {
  brokers: "localhost:9092",
  topicIn: "tickets.raw",
  topicRouted: "tickets.routed",
  topicDeadLetter: "tickets.dead-letter",
  groupId: "inflow-router",
  sinkGroupId: "inflow-raw-sink",
  sessionTimeoutMs: 10_000,
  batchSize: 500,
  sinkFlushRecords: 5000,
  sinkFlushSeconds: 60,
  metricsPort: 9464,
} as const;

const brokerAddress = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const topicName = /^[A-Za-z0-9._-]{1,249}$/;

/** Reads the environment and lists every problem at once in one ConfigError (like `serve`). */
export function loadStreamConfig(env: NodeJS.ProcessEnv = process.env): StreamConfig {
  const problems: string[] = [];
  let stores: Pick<InflowConfig, "store" | "rawStore" | "textLimits"> = {
    store: defaults.store,
    rawStore: defaults.rawStore,
    textLimits: defaultTextLimits,
  };
  try {
    stores = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.message.split("\n  - ").slice(1));
  }
  const read = new EnvReader(env, problems);
  const brokers = (nonEmpty(env.INFLOW_KAFKA_BROKERS) ?? streamDefaults.brokers)
    .split(",")
    .map((b) => b.trim());
  for (const broker of brokers) {
    if (!brokerAddress.test(broker)) problems.push(`INFLOW_KAFKA_BROKERS: "${broker}" is not host:port`);
  }
  const topic = (name: string, fallback: string) => {
    const value = nonEmpty(env[name]) ?? fallback;
    if (!topicName.test(value)) problems.push(`${name} must be a Kafka topic name, got "${value}"`);
    return value;
  };
  const config: StreamConfig = {
    brokers,
    clientId: nonEmpty(env.INFLOW_KAFKA_CLIENT_ID) ?? `inflow-stream-${process.pid}`,
    topicIn: topic("INFLOW_KAFKA_TOPIC_IN", streamDefaults.topicIn),
    topicRouted: topic("INFLOW_KAFKA_TOPIC_ROUTED", streamDefaults.topicRouted),
    topicDeadLetter: topic("INFLOW_KAFKA_TOPIC_DEAD_LETTER", streamDefaults.topicDeadLetter),
    groupId: nonEmpty(env.INFLOW_KAFKA_GROUP) ?? streamDefaults.groupId,
    sinkGroupId: nonEmpty(env.INFLOW_KAFKA_SINK_GROUP) ?? streamDefaults.sinkGroupId,
    sessionTimeoutMs: read.integer(
      "INFLOW_KAFKA_SESSION_TIMEOUT_MS",
      streamDefaults.sessionTimeoutMs,
      3000,
      300_000,
    ),
    batchSize: read.integer("INFLOW_STREAM_BATCH", streamDefaults.batchSize, 1, 100_000),
    sinkFlushRecords: read.integer(
      "INFLOW_STREAM_SINK_FLUSH_RECORDS",
      streamDefaults.sinkFlushRecords,
      1,
      1_000_000,
    ),
    sinkFlushSeconds: read.number(
      "INFLOW_STREAM_SINK_FLUSH_SECONDS",
      streamDefaults.sinkFlushSeconds,
      0.1,
      3600,
    ),
    metricsPort: read.integer("INFLOW_STREAM_METRICS_PORT", streamDefaults.metricsPort, 0, 65_535),
    modelSource: nonEmpty(env.INFLOW_MODEL) ?? serverDefaults.modelSource,
    store: stores.store,
    rawStore: stores.rawStore,
    pollSeconds: read.number("INFLOW_MODEL_POLL_SECONDS", serverDefaults.pollSeconds, 0, 86_400),
    preprocess: read.choice("INFLOW_API_PREPROCESS", serverDefaults.preprocess, preprocessModes),
    textLimits: stores.textLimits,
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  return config;
}
