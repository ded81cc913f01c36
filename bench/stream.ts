/**
 * `inflow stream` against its seed-shaped Python peer, in one run, through one real Kafka broker
 * (KRaft, from Maven Central jars; scripts/setup-kafka.sh): the same tickets are produced once to a
 * 4-partition topic; then Inflow's router (one process) and the peer (bench/stream_peer.py: confluent-
 * kafka + scikit-learn TF-IDF + LR, one process, same model parameters) each route all of them as their
 * own consumer group, one after the other so they never share the 2 CPUs. Throughput is measured from
 * outside: from the first routed record until the group has committed the whole input (lag back to 0).
 *
 * Run: npm run bench:stream [-- --tickets 20000]   (builds first; needs the project venv with confluent-kafka)
 * Prints a table and writes bench/results/stream.json.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  type GroupProgress,
  produceRecords,
  startKafkaBroker,
  waitForGroupDone,
} from "../test/harness/kafka.js";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { argument, round } from "./common.js";
import { writeBenchModels } from "./peer-model.js";

const root = new URL("..", import.meta.url).pathname;
const count = Number(argument("--tickets") ?? 20_000);
const topicIn = "bench.raw";

const work = mkdtempSync(join(tmpdir(), "inflow-bench-stream-"));
const broker = await startKafkaBroker();
try {
  const { modelPath, peerModelPath } = await writeBenchModels(work);
  const tickets = fixtureTickets(count, 2024).map((t) => ({ id: t.id, text: t.text }));
  await produceRecords(broker.brokers, topicIn, tickets);
  const load = loadavg()[0]!;

  const inflow = await run("inflow stream (1 process)", "inflow.routed", "bench-inflow", (out, group) =>
    spawn(process.execPath, [join(root, "bin/inflow.js"), "stream"], {
      env: {
        ...process.env,
        INFLOW_KAFKA_BROKERS: broker.brokers,
        INFLOW_KAFKA_TOPIC_IN: topicIn,
        INFLOW_KAFKA_TOPIC_ROUTED: out,
        INFLOW_KAFKA_GROUP: group,
        INFLOW_MODEL: modelPath,
        INFLOW_STREAM_METRICS_PORT: "0",
        INFLOW_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    }),
  );
  const peer = await run(
    "peer (confluent-kafka + scikit-learn, 1 process)",
    "peer.routed",
    "bench-peer",
    (out, group) =>
      spawn(
        join(root, ".venv/bin/python"),
        [join(root, "bench/stream_peer.py"), broker.brokers, topicIn, out, group, String(count)],
        {
          env: { ...process.env, API_PEER_MODEL: peerModelPath, PYTHONPATH: join(root, "bench") },
          stdio: ["ignore", "ignore", "inherit"],
        },
      ),
  );

  const ratio = inflow.ticketsPerSecond / peer.ticketsPerSecond;
  console.log(`\n${"".padEnd(52)} tickets/s  first record  lag 0 after  duplicates`);
  for (const r of [inflow, peer]) {
    console.log(
      `${r.name.padEnd(52)} ${String(Math.round(r.ticketsPerSecond)).padStart(9)}  ${(r.firstOutputMs / 1000).toFixed(1).padStart(10)} s  ${(r.doneMs / 1000).toFixed(1).padStart(9)} s  ${String(r.duplicates).padStart(10)}`,
    );
  }
  console.log(
    `\ninflow / peer throughput: ${ratio.toFixed(2)}×  (load average before the runs: ${load.toFixed(2)})`,
  );
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/stream.json"),
    `${JSON.stringify(
      {
        benchmark: "stream",
        tickets: count,
        partitions: 4,
        broker: "Apache Kafka 4.4.0 (KRaft, one node, loopback)",
        machine: { cpus: cpus().length, loadAverage1m: round(load) },
        measured: "first routed record → whole input committed (lag 0), from outside the consumers",
        inflow,
        peer,
        ratio: round(ratio),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await broker.stop();
  rmSync(work, { recursive: true, force: true });
}

async function run(
  name: string,
  out: string,
  group: string,
  start: (out: string, group: string) => ReturnType<typeof spawn>,
): Promise<GroupProgress & { name: string; ticketsPerSecond: number; duplicates: number }> {
  process.stderr.write(`bench:stream: ${name}…\n`);
  const child = start(out, group);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const progress = await waitForGroupDone(broker.brokers, group, topicIn, out, count);
    const seconds = (progress.doneMs - progress.firstOutputMs) / 1000;
    return {
      name,
      ...progress,
      firstOutputMs: Math.round(progress.firstOutputMs),
      doneMs: Math.round(progress.doneMs),
      ticketsPerSecond: round(count / seconds),
      duplicates: progress.outputRecords - count,
    };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}
