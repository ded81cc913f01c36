import type { MessageToProduce } from "@platformatic/kafka";
import { predictionFields } from "../../src/classify/prediction-fields.js";
import { isTruncated } from "../../src/text/limits.js";
import type { Logger } from "../../src/util/log.js";
import type { ModelHolder } from "../model/holder.js";
import { batches } from "./batches.js";
import { commitAfter, createConsumer, createProducer, type RawMessage } from "./clients.js";
import type { StreamConfig } from "./config.js";
import { closeWithin, startLagSampling, waitForModel } from "./lifecycle.js";
import type { StreamMetrics } from "./metrics.js";
import { createTicketParser } from "./ticket-record.js";

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
}

export interface RouterSummary {
  routed: number;
  deadLetters: number;
  commitFailures: number;
  /** Records this member had already routed, read again after a rebalance: skipped, not duplicated. */
  replaysSkipped: number;
}

/**
 * The router: a member of the consumer group on the raw topic. Per batch: classify every record with
 * one model version (read once, so a hot reload lands between batches), produce routed records and
 * dead letters, wait for the broker's acknowledgement of all of them, then commit the input offsets.
 * At least once: a crash between acknowledgement and commit replays that batch (a duplicate, never a
 * loss); the idempotent producer keeps its own retries from duplicating. Returns when `stop` aborts,
 * after finishing the batch in hand, committing it and leaving the group.
 */
export async function runRouter(
  { config, holder, metrics, log }: RouterDeps,
  stop: AbortSignal,
): Promise<RouterSummary> {
  const summary: RouterSummary = { routed: 0, deadLetters: 0, commitFailures: 0, replaysSkipped: 0 };
  if (!(await waitForModel(holder, log, stop))) return summary;
  const parse = createTicketParser(config.textLimits.maxTextChars);
  const producer = createProducer(config, "router");
  const consumer = createConsumer(config, "router", config.groupId);
  const stream = await consumer.consume({
    topics: [config.topicIn],
    mode: "committed",
    fallbackMode: "earliest",
    autocommit: false,
    maxWaitTime: 250,
    highWaterMark: config.batchSize * 2,
  });
  const replays = new Replays();
  const lag = startLagSampling(consumer, config.topicIn, config.groupId, metrics);
  log.info({ topic: config.topicIn, group: config.groupId, brokers: config.brokers }, "routing");
  try {
    for await (const read of batches<RawMessage>(stream, config.batchSize, stop)) {
      const batch = replays.fresh(read, consumer.assignments);
      summary.replaysSkipped += read.length - batch.length;
      if (batch.length === 0) continue;
      const end = metrics.batchSeconds.startTimer({ role: "router" });
      const served = holder.current!;
      const out: Out[] = [];
      let deadLetters = 0;
      for (const record of batch) {
        const ticket = parse(record.value);
        if (!ticket.ok) {
          out.push(deadLetter(config.topicDeadLetter, record, ticket.reason));
          deadLetters++;
          continue;
        }
        // The holder's predictor bounds the text (INFLOW_MAX_TEXT_CHARS); the flag says it did.
        const truncated = isTruncated(ticket.text, config.textLimits);
        const p = served.predictor.predict(ticket.text);
        metrics.countPrediction(p);
        const routed: RoutedTicket = {
          ...predictionFields(ticket.id, p, truncated),
          source: { topic: record.topic, partition: record.partition, offset: String(record.offset) },
        };
        out.push({
          topic: config.topicRouted,
          key: Buffer.from(String(ticket.id)),
          value: Buffer.from(JSON.stringify(routed)),
        });
      }
      await producer.send({ messages: out });
      replays.acknowledged(batch);
      try {
        await commitAfter(batch);
      } catch (error) {
        // The partition moved to another member, which replays from the last commit.
        summary.commitFailures++;
        metrics.commitFailures.inc({ role: "router" });
        log.warn(
          { err: error, records: batch.length },
          "commit refused; the new owner replays these records",
        );
      }
      const routed = out.length - deadLetters;
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
    }
  } finally {
    clearInterval(lag);
    await closeWithin(log, [() => stream.close(), () => consumer.close(), () => producer.close()]);
  }
  log.info(summary, "router stopped");
  return summary;
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

/**
 * What this member already routed, per partition. After a rebalance the client fetches again from
 * the committed offsets while records fetched before it are still buffered: without this, the
 * member would route both copies. A record at or below the highest offset this member has had
 * acknowledged is skipped (its output exists), and so is a record of a partition the group no longer
 * assigns to this member (its new owner routes it). Committing only kept records never moves a
 * committed offset backwards.
 */
export class Replays {
  #acknowledged = new Map<string, bigint>();

  fresh(records: RawMessage[], assignments: { topic: string; partitions: number[] }[] | null): RawMessage[] {
    const owned =
      assignments && new Set(assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}/${p}`)));
    return records.filter((r) => {
      const key = `${r.topic}/${r.partition}`;
      return r.offset > (this.#acknowledged.get(key) ?? -1n) && (owned === null || owned.has(key));
    });
  }

  acknowledged(records: RawMessage[]): void {
    for (const r of records) {
      const key = `${r.topic}/${r.partition}`;
      if (r.offset > (this.#acknowledged.get(key) ?? -1n)) this.#acknowledged.set(key, r.offset);
    }
  }
}
