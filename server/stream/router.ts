import { type MessageToProduce, TimeoutError } from "@platformatic/kafka";
import { predictionFields } from "../../src/classify/prediction-fields.js";
import { isTruncated } from "../../src/text/limits.js";
import type { Logger } from "../../src/util/log.js";
import { classifyTexts } from "../model/classify.js";
import type { ModelHolder } from "../model/holder.js";
import type { ServedModel } from "../model/served.js";
import { batches } from "./batches.js";
import {
  commitAfter,
  consumeInput,
  createConsumer,
  createProducer,
  type RawMessage,
  resumeRegainedFromCommit,
} from "./clients.js";
import { CommitGuard, type UnroutedGap } from "./commit-guard.js";
import type { StreamConfig } from "./config.js";
import { closeWithin, inputLagSampling, startLagSampling, waitForModel } from "./lifecycle.js";
import type { StreamMetrics } from "./metrics.js";
import { createTicketParser } from "./ticket-record.js";
import type { StallWatchdog } from "./watchdog.js";

type Out = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/** A routed ticket as written to the routed topic (key: the ticket id): the API's prediction fields, and where it was read. */
export type RoutedTicket = ReturnType<typeof predictionFields> & {
  /** Lets consumers drop a duplicate replayed after a crash. */
  source: { topic: string; partition: number; offset: string };
};

export interface RouterDeps {
  config: StreamConfig;
  holder: ModelHolder;
  metrics: StreamMetrics;
  log: Logger;
  watchdog: StallWatchdog;
}

export interface RouterSummary {
  routed: number;
  deadLetters: number;
  commitFailures: number;
  /** Records this member had already routed, read again after a rebalance: skipped, not duplicated. */
  replaysSkipped: number;
}

/**
 * The broker did not acknowledge a send (held past INFLOW_KAFKA_SEND_TIMEOUT_MS, or refused): the
 * router stopped without committing that batch, so the group's next member reads it again. The
 * member exits 1 to be restarted: the client does not retry the send, and its idempotent sequence
 * for those partitions cannot be trusted after it.
 */
export class SendFailed extends Error {
  constructor(
    readonly counts: RouterSummary,
    cause: unknown,
    sendTimeoutMs: number,
  ) {
    const causes = cause instanceof AggregateError ? [cause, ...cause.errors] : [cause];
    const why = causes.map((c) => (c instanceof Error ? c.message : String(c)).replace(/\.$/, "")).join(": ");
    const timedOut = causes.some((c) => c instanceof TimeoutError);
    super(
      `routed records not acknowledged by Kafka (${why}${
        timedOut ? `: held longer than INFLOW_KAFKA_SEND_TIMEOUT_MS, ${sendTimeoutMs} ms` : ""
      }); stopped without committing them, the group's next member reads them again (none lost, some may be routed twice)`,
      { cause },
    );
  }
}

/**
 * A commit would have moved a partition's committed offset past records this member never routed
 * (CommitGuard): the router stopped without it, so the group's next member reads them. Exits 1.
 */
export class UnroutedRecords extends Error {
  constructor(
    readonly counts: RouterSummary,
    readonly gaps: UnroutedGap[],
  ) {
    const where = gaps.map((g) => `${g.partition} offsets ${g.from}-${g.to}`).join(", ");
    super(
      `refused to commit past records this member never routed (${where}); stopped without committing, the group's next member reads them`,
    );
  }
}

/**
 * The router: a member of the consumer group on the raw topic. Per batch: classify every record with
 * one model version (read once, so a hot reload lands between batches), produce routed records and
 * dead letters, and once the broker has acknowledged all of them commit the input offsets (while the
 * next batch is being classified). At least once: a crash between acknowledgement and commit replays
 * that batch (a duplicate, never a loss); the idempotent producer keeps its own retries from
 * duplicating. Returns when `stop` aborts, after finishing the batch in hand, committing it and
 * leaving the group. A failed send stops it the same way minus that batch's commit: throws SendFailed.
 */
export async function runRouter(
  { config, holder, metrics, log, watchdog }: RouterDeps,
  stop: AbortSignal,
): Promise<RouterSummary> {
  const summary: RouterSummary = { routed: 0, deadLetters: 0, commitFailures: 0, replaysSkipped: 0 };
  if (!(await waitForModel(holder, log, stop))) return summary;
  const parse = createTicketParser(config.textLimits.maxTextChars);
  const producer = createProducer(config, "router", log);
  const consumer = createConsumer(config, "router", config.groupId, log);
  const stream = await consumeInput(
    consumer,
    config,
    { maxWaitTime: 250, highWaterMark: config.batchSize * 2 },
    stop,
  );
  if (stream === null) {
    // Stopped before joining: nothing was read, so nothing to commit.
    await closeWithin(log, [() => consumer.close(), () => producer.close()]);
    log.info(summary, "router stopped");
    return summary;
  }
  const guard = new CommitGuard(log);
  await resumeRegainedFromCommit(consumer, stream, config.topicIn, log, guard, config.sendTimeoutMs);
  const replays = new Replays();
  const lag = startLagSampling(
    consumer,
    stream,
    inputLagSampling(config, config.groupId, metrics, watchdog, log),
  );
  log.info({ topic: config.topicIn, group: config.groupId, brokers: config.brokers }, "routing");
  // Batch n's acknowledgement and commit run while batch n+1 is classified: the broker's round trips
  // overlap the CPU work instead of adding to it. At most one batch is unacknowledged or uncommitted
  // behind the one being classified, and commits stay in batch order (a commit never moves back).
  let previous: Promise<void> = Promise.resolve();
  // Aborted with a send's error: no batch is sent or committed after it; the member leaves the group.
  const sendFailed = new AbortController();
  // Aborted when a commit would pass records never routed: the same way out, minus that commit.
  let unrouted: UnroutedGap[] = [];
  /** After the broker acknowledged a batch's output: commit its input, then count it. */
  const settle = async (
    acknowledged: Promise<unknown>,
    batch: RawMessage[],
    routed: number,
    deadLetters: number,
    end: () => void,
  ): Promise<void> => {
    try {
      await acknowledged;
    } catch (error) {
      sendFailed.abort(error);
      return;
    }
    // An unreadable committed offset rejects this (rethrown by the next `await previous`): no unchecked commit.
    unrouted = await guard.unrouted(batch);
    if (unrouted.length > 0) {
      log.error(
        { gaps: unrouted.map((g) => ({ ...g, from: String(g.from), to: String(g.to) })) },
        "commit refused: it would pass records this member never routed",
      );
      sendFailed.abort(unrouted);
      return;
    }
    try {
      await commitAfter(batch);
    } catch (error) {
      // The partition moved to another member, which replays from the last commit.
      summary.commitFailures++;
      metrics.commitFailures.inc({ role: "router" });
      log.warn({ err: error, records: batch.length }, "commit refused; the new owner replays these records");
    }
    summary.routed += routed;
    summary.deadLetters += deadLetters;
    metrics.records.inc({ role: "router", result: "routed" }, routed);
    if (deadLetters > 0) {
      metrics.records.inc({ role: "router", result: "dead_letter" }, deadLetters);
      log.warn(
        { count: deadLetters, topic: config.topicDeadLetter },
        "records sent to the dead-letter topic",
      );
    }
    end();
  };
  try {
    const reading = AbortSignal.any([stop, sendFailed.signal]);
    for await (const read of batches<RawMessage>(stream, config.batchSize, reading)) {
      watchdog.consumed(read.length);
      const fresh = replays.fresh(read, consumer.assignments);
      if (fresh.length === 0) {
        summary.replaysSkipped += read.length;
        continue;
      }
      const end = metrics.batchSeconds.startTimer({ role: "router" });
      const routedBatch = await routeBatch(fresh, holder.current!, parse, config, metrics);
      // One send in flight: the client numbers an idempotent producer's records when a send is
      // acknowledged, so two concurrent sends to one partition are refused as out of order.
      await previous;
      if (sendFailed.signal.aborted) break;
      // A rebalance during the classification or the previous commit may have moved partitions
      // away: their new owner routes those records from the committed offsets.
      const owned = ownedBy(consumer.assignments);
      const kept = fresh.flatMap((record, i) => (owned(record) ? [i] : []));
      const batch = kept.map((i) => fresh[i]!);
      const out = kept.map((i) => routedBatch.out[i]!);
      const deadLetters = kept.filter((i) => routedBatch.dead[i]).length;
      summary.replaysSkipped += read.length - batch.length;
      if (batch.length === 0) continue;
      const acknowledged = producer.send({ messages: out });
      // Handed to the producer: a re-fetched copy is a replay from now on (a failed send ends the member).
      replays.sent(batch);
      guard.routed(batch);
      previous = settle(acknowledged, batch, out.length - deadLetters, deadLetters, end);
      // Its failure (a send failure is not one) is rethrown by the next `await previous`; until then
      // it is not "unhandled".
      previous.catch(() => {});
    }
    await previous;
  } finally {
    await previous.catch(() => {});
    clearInterval(lag);
    await closeWithin(log, [() => stream.close(), () => consumer.close(), () => producer.close()]);
  }
  if (unrouted.length > 0) throw new UnroutedRecords(summary, unrouted);
  if (sendFailed.signal.aborted)
    throw new SendFailed(summary, sendFailed.signal.reason, config.sendTimeoutMs);
  log.info(summary, "router stopped");
  return summary;
}

/**
 * One batch → routed records and dead letters, every ticket by the one model version `served` (a hot
 * reload lands between batches), classified together: on the worker pool when there is one.
 */
async function routeBatch(
  batch: RawMessage[],
  served: ServedModel,
  parse: ReturnType<typeof createTicketParser>,
  config: StreamConfig,
  metrics: StreamMetrics,
): Promise<{ out: Out[]; dead: boolean[] }> {
  const out: Out[] = new Array(batch.length);
  const dead: boolean[] = new Array(batch.length).fill(false);
  const tickets: { i: number; id: string | number; text: string }[] = [];
  for (let i = 0; i < batch.length; i++) {
    const record = batch[i]!;
    const ticket = parse(record.value);
    if (ticket.ok) {
      tickets.push({ i, id: ticket.id, text: ticket.text });
    } else {
      out[i] = deadLetter(config.topicDeadLetter, record, ticket.reason);
      dead[i] = true;
    }
  }
  // The main thread only moves records meanwhile: it classifies its share of the batch too.
  const predictions = await classifyTexts(
    served,
    tickets.map((t) => t.text),
    { mainThread: "share" },
  );
  tickets.forEach(({ i, id, text }, k) => {
    const record = batch[i]!;
    const p = predictions[k]!;
    metrics.countPrediction(p);
    // The holder's predictor bounds the text (INFLOW_MAX_TEXT_CHARS); the flag says it did.
    const routed: RoutedTicket = {
      ...predictionFields(id, p, isTruncated(text, config.textLimits)),
      source: { topic: record.topic, partition: record.partition, offset: String(record.offset) },
    };
    out[i] = {
      topic: config.topicRouted,
      key: Buffer.from(String(id)),
      value: Buffer.from(JSON.stringify(routed)),
    };
  });
  return { out, dead };
}

/** The original bytes, key and headers, plus why and where from (never the text in a log). */
function deadLetter(topic: string, record: RawMessage, reason: string): Out {
  const headers = new Map(record.headers);
  headers.set(Buffer.from("inflow-error"), Buffer.from(reason));
  headers.set(
    Buffer.from("inflow-source"),
    Buffer.from(`${record.topic}/${record.partition}/${record.offset}`),
  );
  return { topic, key: record.key, value: record.value, headers };
}

type Assignments = { topic: string; partitions: number[] }[] | null;

/** Whether a record's partition is assigned to this member (unknown assignments, mid-rebalance: yes). */
function ownedBy(assignments: Assignments): (record: RawMessage) => boolean {
  if (assignments === null) return () => true;
  const owned = new Set(assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}/${p}`)));
  return (record) => owned.has(`${record.topic}/${record.partition}`);
}

/**
 * What this member already routed, per partition. After a rebalance the client fetches again from
 * the committed offsets while records fetched before it are still buffered: without this, the
 * member would route both copies. A record at or below the highest offset this member has handed to
 * the producer is skipped (its output exists or is in flight: a failed send ends the member), and so is a record of a partition the group no longer
 * assigns to this member (its new owner routes it). Committing only kept records never moves a
 * committed offset backwards.
 */
export class Replays {
  #sent = new Map<string, bigint>();

  fresh(records: RawMessage[], assignments: Assignments): RawMessage[] {
    const owned = ownedBy(assignments);
    return records.filter((r) => r.offset > (this.#sent.get(`${r.topic}/${r.partition}`) ?? -1n) && owned(r));
  }

  sent(records: RawMessage[]): void {
    for (const r of records) {
      const key = `${r.topic}/${r.partition}`;
      if (r.offset > (this.#sent.get(key) ?? -1n)) this.#sent.set(key, r.offset);
    }
  }
}
