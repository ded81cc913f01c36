/**
 * The Kafka client of `inflow stream`, measured: @platformatic/kafka (the one `inflow stream` uses)
 * against kafkajs, in one run, through one real broker (KRaft, from Maven Central jars). Each client
 * does what the router does minus the classification: consume a 4-partition topic as a fresh consumer
 * group, produce every record to an output topic (idempotent producer, acks from all in-sync
 * replicas), and commit the input offsets once a batch's output is acknowledged. Rounds alternate
 * which client goes first, since the shared machine's load drifts. Reported per client: records/s
 * (first record → last commit) and this process's CPU time per 10 000 records (steadier than wall
 * time on a loaded machine), medians over rounds.
 *
 * @confluentinc/kafka-javascript is not measured: its install step downloads a prebuilt librdkafka
 * binding from GitHub releases, or else compiles librdkafka from source (docs/stream.md).
 *
 * Run: npm run bench:kafka-clients [-- --records 40000 --rounds 3]
 * Prints a table and writes bench/results/kafka-clients.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Consumer, type Message, ProduceAcks, Producer } from "@platformatic/kafka";
import { Kafka, logLevel } from "kafkajs";
import { batches } from "../server/stream/batches.js";
import { commitAfter } from "../server/stream/clients.js";
import { produceRecords, startKafkaBroker } from "../test/harness/kafka.js";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { alternatingRounds, argument, loadRange, median, type RoundRun, round } from "./common.js";

const root = new URL("..", import.meta.url).pathname;
const count = Number(argument("--records") ?? 40_000);
const rounds = Number(argument("--rounds") ?? 3);
const batchSize = 500;
const topicIn = "clients.raw";

interface Run extends RoundRun {
  recordsPerSecond: number;
  cpuMsPer10k: number;
}

type Client = "platformatic" | "kafkajs";
const names: Record<Client, string> = {
  platformatic: "@platformatic/kafka 1.35 (inflow stream's)",
  kafkajs: "kafkajs 2.2.4",
};

const broker = await startKafkaBroker();
try {
  // Ticket-sized records (about 0.8 kB of JSON each), as the router reads them.
  const tickets = fixtureTickets(Math.min(count, 5000), 2024).map((t) => ({ id: t.id, text: t.text }));
  await produceRecords(
    broker.brokers,
    topicIn,
    Array.from({ length: count }, (_, i) => ({ ...tickets[i % tickets.length]!, id: String(i) })),
  );
  const pipe: Record<Client, (out: string, group: string) => Promise<void>> = {
    platformatic: pipePlatformatic,
    kafkajs: pipeKafkajs,
  };
  const runs = await alternatingRounds<Client, Run>(
    ["platformatic", "kafkajs"],
    rounds,
    async (client, r) => {
      process.stderr.write(`bench:kafka-clients: round ${r + 1}/${rounds}: ${names[client]}…\n`);
      const loadAverage1m = round(loadavg()[0]!);
      const cpu = process.cpuUsage();
      const started = performance.now();
      await pipe[client](`${client}.out.${r}`, `bench-${client}-${r}`);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      return {
        round: r + 1,
        loadAverage1m,
        recordsPerSecond: round(count / seconds),
        cpuMsPer10k: round(((used.user + used.system) / 1000) * (10_000 / count)),
      };
    },
  );
  const summary = (client: Client) => ({
    name: names[client],
    recordsPerSecond: round(median(runs[client].map((x) => x.recordsPerSecond))),
    cpuMsPer10k: round(median(runs[client].map((x) => x.cpuMsPer10k))),
    runs: runs[client],
  });
  const results = { platformatic: summary("platformatic"), kafkajs: summary("kafkajs") };
  const loads = [...runs.platformatic, ...runs.kafkajs].map((x) => x.loadAverage1m);
  console.log(`\n${"".padEnd(44)} records/s  CPU ms / 10k records   (medians of ${rounds} rounds)`);
  for (const r of Object.values(results)) {
    console.log(
      `${r.name.padEnd(44)} ${String(Math.round(r.recordsPerSecond)).padStart(9)}  ${String(Math.round(r.cpuMsPer10k)).padStart(20)}`,
    );
  }
  console.log(`\nload average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/kafka-clients.json"),
    `${JSON.stringify(
      {
        benchmark: "kafka-clients",
        records: count,
        partitions: 4,
        batch: batchSize,
        rounds,
        broker: "Apache Kafka 4.4.0 (KRaft, one node, loopback)",
        machine: {
          cpus: cpus().length,
          loadAverage1m: loadRange(loads),
        },
        measured:
          "consume → produce (idempotent, acks=all) → commit after ack, first record → last commit, in this process",
        ...results,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await broker.stop();
}

/** The router's loop without the classification: batches of 500, send, await the acks, commit. */
async function pipePlatformatic(out: string, group: string): Promise<void> {
  const producer = new Producer({
    clientId: "bench-platformatic",
    bootstrapBrokers: [broker.brokers],
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: true,
  });
  const consumer = new Consumer({
    clientId: "bench-platformatic",
    bootstrapBrokers: [broker.brokers],
    groupId: group,
    autocommit: false,
  });
  const stream = await consumer.consume({
    topics: [topicIn],
    mode: "earliest",
    autocommit: false,
    maxWaitTime: 250,
    highWaterMark: batchSize * 2,
  });
  const stop = new AbortController();
  let done = 0;
  try {
    for await (const batch of batches<Message<Buffer, Buffer, Buffer, Buffer>>(
      stream,
      batchSize,
      stop.signal,
    )) {
      await producer.send({ messages: batch.map((m) => ({ topic: out, key: m.key, value: m.value })) });
      await commitAfter(batch);
      done += batch.length;
      if (done >= count) stop.abort();
    }
  } finally {
    await stream.close();
    await consumer.close(true);
    await producer.close();
  }
}

/** The same with kafkajs: eachBatch (one partition's fetch), send, await the acks, commit. */
async function pipeKafkajs(out: string, group: string): Promise<void> {
  const kafka = new Kafka({
    clientId: "bench-kafkajs",
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  const consumer = kafka.consumer({ groupId: group });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topics: [topicIn], fromBeginning: true });
  let done = 0;
  const finished = new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          for (let i = 0; i < batch.messages.length; i += batchSize) {
            const slice = batch.messages.slice(i, i + batchSize);
            await producer.send({ topic: out, messages: slice.map((m) => ({ key: m.key, value: m.value })) });
            const last = slice.at(-1)!.offset;
            await consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: String(BigInt(last) + 1n) },
            ]);
            resolveOffset(last);
            await heartbeat();
            done += slice.length;
            if (done >= count) resolve();
          }
        },
      })
      .catch(reject);
  });
  try {
    await finished;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}
