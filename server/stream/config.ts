import { type PreprocessMode, preprocessModes } from "../../src/classify/lexicon.js";
import { readConfig } from "../../src/config/env.js";
import {
  IntegerIn,
  NumberIn,
  OneOf,
  Port,
  readSettings,
  setting,
  Text,
  throwIfProblems,
} from "../../src/config/variables.js";
import type { TextLimits } from "../../src/text/limits.js";
import { serverDefaults } from "../config.js";
import { streamDefaults } from "./defaults.js";

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
  /** A send the broker has not acknowledged after this long fails: the router stops without committing it (exit 1). */
  sendTimeoutMs: number;
  /** Most records classified and produced per round trip (the unit that is acknowledged, then committed). */
  batchSize: number;
  /** Worker threads that classify a batch beside the main thread (which keeps the Kafka I/O); 0 = none. */
  workers: number;
  /** The sink writes one raw file per partition after this many records or seconds, whichever comes first. */
  sinkFlushRecords: number;
  sinkFlushSeconds: number;
  /**
   * After SIGTERM/SIGINT, at most this long to finish the batch in hand, commit and leave the group;
   * then the member exits (1) without committing, and the uncommitted records are read again.
   */
  shutdownSeconds: number;
  /** No record read this long while records wait past the fetch position: the member stops and exits 1 (0: off). */
  stallSeconds: number;
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

const Topic = Text({ pattern: "^[A-Za-z0-9._-]{1,249}$", description: "a Kafka topic name" });

const streamSettings = {
  brokers: setting(
    "INFLOW_KAFKA_BROKERS",
    Text({
      pattern: "^[A-Za-z0-9.-]+:\\d{1,5}(\\s*,\\s*[A-Za-z0-9.-]+:\\d{1,5})*$",
      description: "host:port[,host:port...]",
    }),
    streamDefaults.brokers,
  ),
  clientId: setting("INFLOW_KAFKA_CLIENT_ID", Text(), `inflow-stream-${process.pid}`),
  topicIn: setting("INFLOW_KAFKA_TOPIC_IN", Topic, streamDefaults.topicIn),
  topicRouted: setting("INFLOW_KAFKA_TOPIC_ROUTED", Topic, streamDefaults.topicRouted),
  topicDeadLetter: setting("INFLOW_KAFKA_TOPIC_DEAD_LETTER", Topic, streamDefaults.topicDeadLetter),
  groupId: setting("INFLOW_KAFKA_GROUP", Text(), streamDefaults.groupId),
  sinkGroupId: setting("INFLOW_KAFKA_SINK_GROUP", Text(), streamDefaults.sinkGroupId),
  sessionTimeoutMs: setting(
    "INFLOW_KAFKA_SESSION_TIMEOUT_MS",
    IntegerIn(3000, 300_000),
    streamDefaults.sessionTimeoutMs,
  ),
  sendTimeoutMs: setting(
    "INFLOW_KAFKA_SEND_TIMEOUT_MS",
    IntegerIn(1000, 600_000),
    streamDefaults.sendTimeoutMs,
  ),
  batchSize: setting("INFLOW_STREAM_BATCH", IntegerIn(1, 100_000), streamDefaults.batchSize),
  workers: setting("INFLOW_STREAM_WORKERS", IntegerIn(0, 64), serverDefaults.workers),
  sinkFlushRecords: setting(
    "INFLOW_STREAM_SINK_FLUSH_RECORDS",
    IntegerIn(1, 1_000_000),
    streamDefaults.sinkFlushRecords,
  ),
  sinkFlushSeconds: setting(
    "INFLOW_STREAM_SINK_FLUSH_SECONDS",
    NumberIn(0.1, 3600),
    streamDefaults.sinkFlushSeconds,
  ),
  shutdownSeconds: setting(
    "INFLOW_STREAM_SHUTDOWN_SECONDS",
    NumberIn(0.1, 3600),
    streamDefaults.shutdownSeconds,
  ),
  stallSeconds: setting("INFLOW_STREAM_STALL_SECONDS", NumberIn(0, 86_400), streamDefaults.stallSeconds),
  metricsPort: setting("INFLOW_STREAM_METRICS_PORT", Port, streamDefaults.metricsPort),
  modelSource: setting("INFLOW_MODEL", Text(), serverDefaults.modelSource),
  pollSeconds: setting("INFLOW_MODEL_POLL_SECONDS", NumberIn(0, 86_400), serverDefaults.pollSeconds),
  preprocess: setting("INFLOW_API_PREPROCESS", OneOf(preprocessModes), serverDefaults.preprocess),
};

/** Reads the environment and lists every problem at once in one ConfigError (like `serve`). */
export function loadStreamConfig(env: NodeJS.ProcessEnv = process.env): StreamConfig {
  const problems: string[] = [];
  const { store, rawStore, textLimits } = readConfig(env, {}, problems);
  const { brokers, ...rest } = readSettings(env, streamSettings, problems);
  throwIfProblems(problems);
  return { ...rest, brokers: brokers.split(",").map((b) => b.trim()), store, rawStore, textLimits };
}
