import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Consumer, ProduceAcks, Producer } from "@platformatic/kafka";
import { removedWithTest, removeNow, stopsWithTest } from "./children.js";
import { repoRoot } from "./cli.js";
import { freePort } from "./net.js";

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker + controller) on loopback, run by Java
 * from the Maven Central jars scripts/setup-kafka.sh puts in .tools/kafka-<version>/libs.
 */
export interface KafkaBroker {
  /** "127.0.0.1:<port>", for INFLOW_KAFKA_BROKERS. */
  brokers: string;
  dir: string;
  /** The running broker's process id (bench:stream reads its CPU time). */
  pid(): number | undefined;
  /** SIGKILL, as a crash would; the log dir stays, so restart() comes back with every record. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Fixed so formatting needs no extra JVM start for `random-uuid` (22 characters of base64 of 16 bytes). */
const clusterId = "SW5mbG93VGVzdENsdXN0ZQ";

export async function kafkaLibs(): Promise<string> {
  const tools = join(repoRoot, ".tools");
  const found = existsSync(tools) ? (await readdir(tools)).filter((d) => /^kafka-\d/.test(d)).sort() : [];
  const dir = found.at(-1);
  if (!dir) throw new Error("Kafka is not installed: run `bash scripts/setup-kafka.sh`");
  return join(tools, dir, "libs");
}

/** Small heap, serial GC and the C1 compiler only: starts in seconds and leaves the shared CPUs alone. */
const jvmFlags = [
  "-Xms128m",
  "-Xmx512m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Djava.awt.headless=true",
];

export async function startKafkaBroker(): Promise<KafkaBroker> {
  const classpath = `${await kafkaLibs()}/*`;
  // Removed with the broker, also when a signal ends the run.
  const dir = removedWithTest(await mkdtemp(join(tmpdir(), "inflow-kafka-")));
  const port = await freePort();
  // The OS may hand the same just-released port out twice; the broker refuses two listeners on one port.
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const properties = join(dir, "server.properties");
  await writeFile(
    properties,
    [
      "process.roles=broker,controller",
      "node.id=1",
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      "controller.listener.names=CONTROLLER",
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      `log.dirs=${join(dir, "data")}`,
      "num.partitions=4",
      "offsets.topic.replication.factor=1",
      "offsets.topic.num.partitions=4",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "share.coordinator.state.topic.replication.factor=1",
      // Tests join and leave groups often: no initial wait, short sessions.
      "group.initial.rebalance.delay.ms=0",
      "group.consumer.session.timeout.ms=6000",
      "group.consumer.min.session.timeout.ms=3000",
      "auto.create.topics.enable=true",
      "",
    ].join("\n"),
  );
  // Its own process group (killed whole); stopped with this process even when a signal ends it.
  const java = (args: string[], stdio: "ignore" | "pipe") =>
    stopsWithTest(
      spawn("java", [...jvmFlags, "-cp", classpath, ...args], {
        cwd: dir,
        detached: true,
        stdio: ["ignore", stdio, stdio],
      }),
      { group: true },
    );
  await run(java(["kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties], "pipe"), "format");

  let child: ChildProcess | undefined;
  let log = "";
  const launch = async () => {
    log = "";
    child = java(["kafka.Kafka", properties], "pipe");
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-6000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    await waitForPort(port, child, () => log);
  };
  const exited = async (signal: NodeJS.Signals) => {
    const current = child;
    if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
    const done = new Promise((resolve) => current.once("exit", resolve));
    process.kill(-current.pid, signal);
    await done;
  };

  await launch();
  return {
    brokers: `127.0.0.1:${port}`,
    dir,
    pid: () => child?.pid,
    kill: () => exited("SIGKILL"),
    async restart() {
      await exited("SIGKILL");
      await launch();
    },
    async stop() {
      await exited("SIGKILL");
      await removeNow(dir);
    },
  };
}

async function run(child: ChildProcess, what: string): Promise<void> {
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`kafka ${what} exited with ${code}:\n${output.slice(-4000)}`);
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`kafka exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await sleep(200);
  }
  throw new Error(`kafka did not listen on ${port}:\n${log()}`);
}

/** Produces one JSON (or raw string) record per item, keyed by index, and waits for the acks. */
export async function produceRecords(
  brokers: string,
  topic: string,
  values: (string | object)[],
): Promise<void> {
  const producer = new Producer({
    clientId: "test-producer",
    bootstrapBrokers: [brokers],
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: true,
    autocreateTopics: true,
  });
  try {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({
        messages: values.slice(i, i + 500).map((value, j) => ({
          topic,
          key: Buffer.from(String(i + j)),
          value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
        })),
      });
    }
  } finally {
    await producer.close();
  }
}

export interface ReadRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning (a fresh group each time) until `done(records)` holds; throws
 * after `timeoutMs` with what was read. Keeps reading past the condition for `settleMs` so late
 * duplicates are counted too.
 */
export async function readTopic(
  brokers: string,
  topic: string,
  done: (records: ReadRecord[]) => boolean,
  { timeoutMs = 120_000, settleMs = 0 } = {},
): Promise<ReadRecord[]> {
  const consumer = new Consumer({
    clientId: "test-reader",
    bootstrapBrokers: [brokers],
    groupId: `test-reader-${randomUUID()}`,
    autocommit: false,
    retries: true,
  });
  const records: ReadRecord[] = [];
  try {
    const stream = await consumer.consume({
      topics: [topic],
      mode: "earliest",
      maxWaitTime: 200,
      autocommit: false,
    });
    const deadline = Date.now() + timeoutMs;
    let settleUntil = Number.POSITIVE_INFINITY;
    // Closing the stream ends the loop below even while no record arrives.
    const timer = setInterval(() => {
      if (Date.now() > Math.min(deadline, settleUntil)) void stream.close();
    }, 100);
    try {
      for await (const message of stream) {
        records.push({
          key: message.key?.toString() ?? "",
          value: message.value?.toString() ?? "",
          headers: Object.fromEntries([...message.headers].map(([k, v]) => [k.toString(), v.toString()])),
        });
        if (settleUntil === Number.POSITIVE_INFINITY && done(records)) settleUntil = Date.now() + settleMs;
      }
    } finally {
      clearInterval(timer);
      await stream.close();
    }
    if (!done(records))
      throw new Error(`read ${records.length} records from ${topic} without meeting the condition`);
    return records;
  } finally {
    await consumer.close(true);
  }
}

export interface GroupProgress {
  /** ms from the call until the first output record, and until every input record was committed. */
  firstOutputMs: number;
  /** ms from the call until the output held half the expected records (the second half runs warm). */
  halfOutputMs: number;
  doneMs: number;
  /** Records in the output topic when done (more than the input means replayed duplicates). */
  outputRecords: number;
}

/**
 * Polls the broker (every 50 ms, the group's committed offsets and both topics' end offsets) until
 * `group` has committed the whole input topic and the output topic holds at least `expected`
 * records: the end-to-end "lag back to zero" moment, measured from outside the consumers.
 */
export async function waitForGroupDone(
  brokers: string,
  group: string,
  topicIn: string,
  topicOut: string,
  expected: number,
  timeoutMs = 600_000,
  onFirstOutput?: () => void,
): Promise<GroupProgress> {
  const started = performance.now();
  const probe = new Consumer({
    clientId: "progress-probe",
    bootstrapBrokers: [brokers],
    groupId: group,
    retries: true,
  });
  const sum = (offsets: bigint[] | undefined) => (offsets ?? []).reduce((a, b) => a + (b > 0n ? b : 0n), 0n);
  try {
    const inputEnd = (await probe.listOffsets({ topics: [topicIn] })).get(topicIn) ?? [];
    const partitions = inputEnd.map((_, i) => i);
    let firstOutputMs = Number.NaN;
    let halfOutputMs = Number.NaN;
    while (performance.now() - started < timeoutMs) {
      const output = sum(
        (await probe.listOffsets({ topics: [topicOut] }).catch(() => new Map())).get(topicOut),
      );
      if (output > 0n && Number.isNaN(firstOutputMs)) {
        firstOutputMs = performance.now() - started;
        onFirstOutput?.();
      }
      if (output * 2n >= BigInt(expected) && Number.isNaN(halfOutputMs))
        halfOutputMs = performance.now() - started;
      if (output >= BigInt(expected)) {
        const committed =
          (await probe.listCommittedOffsets({ topics: [{ topic: topicIn, partitions }] })).get(topicIn) ?? [];
        if (inputEnd.every((end, i) => (committed[i] ?? -1n) >= end)) {
          return {
            firstOutputMs,
            halfOutputMs,
            doneMs: performance.now() - started,
            outputRecords: Number(output),
          };
        }
      }
      await sleep(50);
    }
    throw new Error(`group ${group} did not finish ${topicIn} in ${timeoutMs} ms`);
  } finally {
    await probe.close(true);
  }
}
