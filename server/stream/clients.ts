import type { EventEmitter } from "node:events";
import {
  type Consumer,
  ListOffsetTimestamps,
  type Message,
  type MessagesStream,
  ProduceAcks,
  Producer,
} from "@platformatic/kafka";
import type { Logger } from "../../src/util/log.js";
import type { StreamConfig } from "./config.js";
// Before any client reads a response: the client's own tagged-field reader misreads them.
import "./kafka-tagged-fields.js";
import type { CommitGuard } from "./commit-guard.js";
import { rejoinWhenHeartbeatsStop } from "./kafka-heartbeat-rejoin.js";
import { RelistingConsumer } from "./kafka-relisting-consumer.js";
import { unlessStopped } from "./lifecycle.js";

export type RawMessage = Message<Buffer, Buffer, Buffer, Buffer>;

/** While no broker answers, the warning is repeated this often (not on every 1 s retry). */
const unreachableWarningMs = 60_000;

/**
 * Both clients retry forever (1 s apart): a broker restart stalls the stream instead of failing it,
 * the stall is logged (warnWhileUnreachable), and SIGTERM is the way out (unlessStopped). The producer is idempotent (acks from all in-sync replicas, one
 * sequence per partition), so its own retries never write a record twice.
 */
export function createProducer(
  config: StreamConfig,
  role: string,
  log: Logger,
): Producer<Buffer, Buffer, Buffer, Buffer> {
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: config.brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: true,
    retryDelay: retryEverySecond(log, `${role} producer`),
    // A send not acknowledged in time is not retried by the client: the router stops (SendFailed).
    requestTimeout: config.sendTimeoutMs,
    autocreateTopics: true,
  });
  return warnWhileUnreachable(producer, config, `${role} producer`, log);
}

export function createConsumer(
  config: StreamConfig,
  role: string,
  groupId: string,
  log: Logger,
): Consumer<Buffer, Buffer, Buffer, Buffer> {
  // Its offset listings are rebuilt after a broker restart instead of resent forever.
  const consumer = new RelistingConsumer<Buffer, Buffer, Buffer, Buffer>({
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: config.brokers,
    groupId,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: Math.max(1000, Math.floor(config.sessionTimeoutMs / 3)),
    rebalanceTimeout: config.sessionTimeoutMs * 3,
    retries: true,
    retryDelay: retryEverySecond(log, `${role} consumer`),
    autocommit: false,
  });
  rejoinWhenHeartbeatsStop(consumer, log);
  return warnWhileUnreachable(consumer, config, `${role} consumer`, log);
}

/** How often a request being retried is logged (debug level): its 1st, 11th, 21st… retry. */
const retriesPerLog = 10;

/**
 * The clients' retry delay (1 s), which also logs at debug level why a request is retried: the client's
 * own debug events name only the error's class (`ResponseError`), not the broker's error code, which is
 * what a stall after a broker restart (JoinGroup and OffsetCommit retried forever) still lacks.
 */
function retryEverySecond(log: Logger, name: string) {
  return (_client: unknown, operation: string, attempt: number, _retries: number, error: Error): number => {
    if (attempt % retriesPerLog === 1) {
      const nested = (error as { errors?: unknown }).errors;
      const reasons = Array.isArray(nested)
        ? nested.map((e) => String((e as Error).message))
        : [error.message];
      log.debug({ client: name, operation, attempt, reasons }, "Kafka request retried");
    }
    return 1000;
  };
}

/** The payload of the client's `client:broker:*` connection events. */
type BrokerEvent = { broker: { host: string; port: number } };

/**
 * Logs a warning when a client cannot connect to a broker (which one, the configured list, that it
 * keeps retrying), again every minute while that lasts, and once when a connection succeeds after it.
 */
function warnWhileUnreachable<C extends EventEmitter>(
  client: C,
  config: StreamConfig,
  name: string,
  log: Logger,
): C {
  let lastWarning: number | null = null;
  const where = ({ broker }: BrokerEvent) => `${broker.host}:${broker.port}`;
  client.on("client:broker:failed", (event: BrokerEvent) => {
    if (lastWarning !== null && Date.now() - lastWarning < unreachableWarningMs) return;
    lastWarning = Date.now();
    log.warn(
      { client: name, broker: where(event), brokers: config.brokers },
      "Kafka broker unreachable; retrying every second (SIGTERM stops)",
    );
  });
  client.on("client:broker:connect", (event: BrokerEvent) => {
    if (lastWarning === null) return;
    lastWarning = null;
    log.info({ client: name, broker: where(event) }, "Kafka broker reachable again");
  });
  return client;
}

/**
 * Joins the group and reads the input topic from its committed offsets (the earliest for a new
 * group), committing only by hand (commitAfter). Null if `stop` aborts while still connecting.
 */
export function consumeInput(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  config: StreamConfig,
  reading: { maxWaitTime: number; highWaterMark: number },
  stop: AbortSignal,
): Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer> | null> {
  return unlessStopped(
    consumer.consume({
      topics: [config.topicIn],
      mode: "committed",
      fallbackMode: "earliest",
      autocommit: false,
      ...reading,
    }),
    stop,
  );
}

/**
 * Makes a partition this member gets back after a rebalance resume from the group's committed offset,
 * or with none from the earliest one, never from where this member last fetched it. The stream
 * (@platformatic/kafka 1.35) keeps a fetch position for every partition it ever read and on a rejoin
 * replaces it only by a committed offset: a partition fetched here, moved to a member that died
 * before committing anything, then moved back, resumed past the records no one routed (the chaos
 * test lost offsets 0-96 of one partition this way). So on every join a partition not held since the
 * previous join is moved back to the earliest offset read at start, before the stream's own refresh
 * puts the committed offset over it. Moved, not removed: a fetch being prepared at that moment reads
 * the position, and the client retries a fetch without one forever. An earliest offset retention has
 * since deleted is refused by the broker (OFFSET_OUT_OF_RANGE), which ends the member: it restarts
 * from the committed offsets.
 */
export async function resumeRegainedFromCommit(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
  topic: string,
  log: Logger,
  guard?: CommitGuard,
  committedWithinMs = 30_000,
): Promise<void> {
  const held = () =>
    new Set((consumer.assignments ?? []).flatMap((a) => a.partitions.map((p) => `${a.topic}:${p}`)));
  let before = held();
  let earliest: bigint[] = [];
  consumer.on("consumer:group:join", () => {
    const now = held();
    const regained: string[] = [];
    // The positions replaced, for the log: where the stream would have resumed without this.
    const replaced: Record<string, string> = {};
    for (const key of now) {
      if (before.has(key)) continue;
      const partition = Number(key.slice(key.lastIndexOf(":") + 1));
      const first = earliest[partition] ?? 0n;
      replaced[key] = String(stream.offsetsToFetch.get(key) ?? "none");
      stream.offsetsToFetch.set(key, first);
      guard?.gained(key, committedOrFirst(consumer, topic, partition, first, committedWithinMs));
      regained.push(key);
    }
    before = now;
    if (regained.length > 0)
      log.info(
        { partitions: regained, replaced },
        "partitions regained: resuming from the committed or earliest offset",
      );
  });
  // Listening first: a join while this is read finds offset 0, the first of a partition retention has not cut.
  earliest =
    (await consumer.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.EARLIEST })).get(topic) ??
    [];
}

/**
 * The group's committed offset of a partition, read now (`first` when the group has none). Bounded by
 * `withinMs`: right after a broker restart the client can retry such a read without end, and the
 * guard's commit waits on it, so an unanswered read rejects (the member stops; the next one replays).
 */
async function committedOrFirst(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  topic: string,
  partition: number,
  first: bigint,
  withinMs: number,
): Promise<bigint> {
  let timer: NodeJS.Timeout | undefined;
  const unanswered = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`the committed offset of ${topic}:${partition} was not read within ${withinMs} ms`)),
      withinMs,
    ).unref();
  });
  try {
    const commits = await Promise.race([
      consumer.listCommittedOffsets({ topics: [{ topic, partitions: [partition] }] }),
      unanswered,
    ]);
    const committed = commits.get(topic)?.[partition] ?? -1n;
    return committed >= 0n ? committed : first;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Commits, per partition, the offset after the last record of `records` (what the group resumes
 * from). Called only once the records' outputs are acknowledged: a crash before it replays them.
 */
export async function commitAfter(records: readonly RawMessage[]): Promise<void> {
  const last = new Map<string, RawMessage>();
  for (const record of records) last.set(`${record.topic}/${record.partition}`, record);
  await Promise.all(
    [...last.values()].map(
      (record) =>
        new Promise<void>((resolve, reject) => {
          record.commit((error) => (error ? reject(error) : resolve()));
        }),
    ),
  );
}
