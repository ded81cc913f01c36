import type { ArtifactStore } from "../../src/store/store.js";
import { rawKey } from "../../src/tickets/raw.js";
import { addDays } from "../../src/util/dates.js";
import type { Logger } from "../../src/util/log.js";
import { batches } from "./batches.js";
import {
  commitAfter,
  consumeInput,
  createConsumer,
  type RawMessage,
  resumeRegainedFromCommit,
} from "./clients.js";
import type { StreamConfig } from "./config.js";
import { closeWithin, inputLagSampling, startLagSampling } from "./lifecycle.js";
import type { StreamMetrics } from "./metrics.js";
import { createTicketParser } from "./ticket-record.js";
import type { StallWatchdog } from "./watchdog.js";

export interface RawSinkDeps {
  config: StreamConfig;
  rawStore: ArtifactStore;
  metrics: StreamMetrics;
  log: Logger;
  watchdog: StallWatchdog;
}

export interface RawSinkSummary {
  stored: number;
  files: number;
  /** Records already in a stored file (replayed after a crash between write and commit): not written twice. */
  alreadyStored: number;
  /** Records that are not tickets: left to the router's dead-letter topic, never written to the raw store. */
  skipped: number;
}

/**
 * The raw sink: its own consumer group on the raw topic, so the batch pipeline sees streamed tickets.
 * Buffers records and writes one JSONL file per (day of the record's timestamp, partition) to
 * `tickets/date=YYYY-MM-DD/stream-<topic>-p<partition>-<first>-<last>.jsonl`, the layout `tickets
 * ingest` fills, then commits. Files are immutable and named by offsets: after a crash the replayed
 * records at or below a partition's highest stored offset are skipped, so each ticket lands once.
 */
export async function runRawSink(
  { config, rawStore, metrics, log, watchdog }: RawSinkDeps,
  stop: AbortSignal,
): Promise<RawSinkSummary> {
  const summary: RawSinkSummary = { stored: 0, files: 0, alreadyStored: 0, skipped: 0 };
  const parse = createTicketParser(Number.MAX_SAFE_INTEGER);
  const consumer = createConsumer(config, "sink", config.sinkGroupId, log);
  const stream = await consumeInput(
    consumer,
    config,
    { maxWaitTime: 500, highWaterMark: Math.min(config.sinkFlushRecords, 10_000) },
    stop,
  );
  if (stream === null) {
    // Stopped before joining: nothing was read, so nothing to commit.
    await closeWithin(log, [() => consumer.close()]);
    log.info(summary, "sink stopped");
    return summary;
  }
  await resumeRegainedFromCommit(consumer, stream, config.topicIn, log);
  const lag = startLagSampling(
    consumer,
    stream,
    inputLagSampling(config, config.sinkGroupId, metrics, watchdog),
  );
  const stored = new StoredOffsets(rawStore, config.topicIn);
  let buffer: RawMessage[] = [];
  let oldest = 0;

  const flush = async () => {
    if (buffer.length === 0) return;
    const end = metrics.batchSeconds.startTimer({ role: "sink" });
    const files = new Map<
      string,
      { date: string; partition: number; lines: string[]; first: bigint; last: bigint }
    >();
    for (const record of buffer) {
      const ticket = parse(record.value);
      if (!ticket.ok) {
        summary.skipped++;
        continue;
      }
      const date = new Date(Number(record.timestamp)).toISOString().slice(0, 10);
      if (record.offset <= (await stored.highest(record.partition, date))) {
        summary.alreadyStored++;
        continue;
      }
      const name = `${date}/${record.partition}`;
      let file = files.get(name);
      if (!file) {
        file = { date, partition: record.partition, lines: [], first: record.offset, last: record.offset };
        files.set(name, file);
      }
      // Re-serialised: one JSON object per line whatever whitespace the producer used.
      file.lines.push(JSON.stringify(JSON.parse(record.value.toString("utf8"))));
      file.last = record.offset;
    }
    for (const file of files.values()) {
      const key = rawKey(file.date, stored.fileName(file.partition, file.first, file.last));
      if (!(await rawStore.exists(key))) await rawStore.put(key, `${file.lines.join("\n")}\n`);
      stored.record(file.partition, file.last);
      summary.stored += file.lines.length;
      summary.files++;
      metrics.records.inc({ role: "sink", result: "stored" }, file.lines.length);
    }
    try {
      await commitAfter(buffer);
    } catch (error) {
      metrics.commitFailures.inc({ role: "sink" });
      log.warn({ err: error, records: buffer.length }, "commit refused; the new owner skips what is stored");
    }
    buffer = [];
    end();
  };

  log.info(
    { topic: config.topicIn, group: config.sinkGroupId, rawStore: rawStore.uri },
    "sinking raw tickets",
  );
  try {
    for await (const batch of batches<RawMessage>(stream, config.sinkFlushRecords, stop, 1000)) {
      watchdog.consumed(batch.length);
      if (buffer.length === 0 && batch.length > 0) oldest = Date.now();
      buffer.push(...batch);
      if (buffer.length >= config.sinkFlushRecords || Date.now() - oldest >= config.sinkFlushSeconds * 1000) {
        await flush();
      }
    }
    await flush();
  } finally {
    clearInterval(lag);
    await closeWithin(log, [() => stream.close(), () => consumer.close()]);
  }
  log.info(summary, "sink stopped");
  return summary;
}

/** The highest offset stored per partition, read from the file names of the record's day and the day before. */
class StoredOffsets {
  #highest = new Map<number, bigint>();
  #listed = new Set<string>();

  constructor(
    private readonly store: ArtifactStore,
    private readonly topic: string,
  ) {}

  fileName(partition: number, first: bigint, last: bigint): string {
    return `stream-${this.topic}-p${partition}-${first}-${last}.jsonl`;
  }

  async highest(partition: number, date: string): Promise<bigint> {
    for (const day of [addDays(date, -1), date]) {
      if (this.#listed.has(day)) continue;
      this.#listed.add(day);
      const pattern = new RegExp(`/stream-${this.topic.replace(/\./g, "\\.")}-p(\\d+)-\\d+-(\\d+)\\.jsonl$`);
      for (const key of await this.store.list(rawKey(day, ""))) {
        const match = pattern.exec(key);
        if (match) this.record(Number(match[1]), BigInt(match[2]!));
      }
    }
    return this.#highest.get(partition) ?? -1n;
  }

  record(partition: number, offset: bigint): void {
    if (offset > (this.#highest.get(partition) ?? -1n)) this.#highest.set(partition, offset);
  }
}
