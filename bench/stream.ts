/**
 * `inflow stream` against its seed-shaped Python peer, in one run, through one real Kafka broker
 * (KRaft, from Maven Central jars; scripts/setup-kafka.sh): the same tickets are produced once to a
 * 4-partition topic; then Inflow's router (one process) and the peer (bench/stream_peer.py: confluent-
 * kafka + scikit-learn TF-IDF + LR, one process, same model parameters) each route all of them as their
 * own consumer group, one after the other so they never share the 2 CPUs, for several rounds that
 * alternate which side goes first (the machine is shared: its load drifts). Throughput is measured
 * from outside: from the first routed record until the group has committed the whole input (lag back
 * to 0); also over the second half of the output alone, once the process has warmed up (the router's
 * per-word preprocessing caches fill on the first tickets). Reported: medians over rounds, and the
 * median of the per-round ratios.
 *
 * Run: npm run bench:stream [-- --tickets 20000 --rounds 3 --no-lexicon --router-input words]   (builds
 * first; needs the project venv; --no-lexicon serves a model without its shipped lexicon, for
 * comparison; --router-input words: both sides hold a router that reads surface words alone, as `train`
 * chooses where people's labels show them better, so neither tags parts of speech)
 * Prints a table and writes bench/results/stream.json (stream-words.json for a words router).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { produceRecords, startKafkaBroker, waitForGroupDone } from "../test/harness/kafka.js";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import {
  alternatingRounds,
  argument,
  loadRange,
  median,
  processCpuMs,
  type RoundRun,
  round,
} from "./common.js";
import { writeBenchModels } from "./peer-model.js";

const root = new URL("..", import.meta.url).pathname;
const count = Number(argument("--tickets") ?? 20_000);
const rounds = Number(argument("--rounds") ?? 3);
const topicIn = "bench.raw";
const shippedLexicon = !process.argv.includes("--no-lexicon");
const routerInput = argument("--router-input") ?? "terms";
if (routerInput !== "terms" && routerInput !== "words") throw new Error("--router-input: terms or words");

interface Run extends RoundRun {
  firstOutputMs: number;
  doneMs: number;
  /** Whole input: first routed record → lag 0. */
  ticketsPerSecond: number;
  /** Second half of the output → lag 0 (warm). */
  secondHalfTicketsPerSecond: number;
  /** CPU time of the consumer process (all threads) per 1 000 tickets, first routed record → lag 0. */
  cpuMsPerThousandTickets: number;
  /** The broker's CPU time over the same span per 1 000 tickets: it shares the 2 cores with the consumer. */
  brokerCpuMsPerThousandTickets: number;
  duplicates: number;
}

type Side = "inflow" | "peer";
const names: Record<Side, string> = {
  inflow: "inflow stream (1 process)",
  peer: "peer (confluent-kafka + scikit-learn, 1 process)",
};

const work = mkdtempSync(join(tmpdir(), "inflow-bench-stream-"));
const broker = await startKafkaBroker();
try {
  const { model, modelPath, peerModelPath } = await writeBenchModels(work, shippedLexicon, routerInput);
  const tickets = fixtureTickets(count, 2024).map((t) => ({ id: t.id, text: t.text }));
  await produceRecords(broker.brokers, topicIn, tickets);
  const start: Record<Side, (out: string, group: string) => ReturnType<typeof spawn>> = {
    inflow: (out, group) =>
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
    peer: (out, group) =>
      spawn(
        join(root, ".venv/bin/python"),
        [join(root, "bench/stream_peer.py"), broker.brokers, topicIn, out, group, String(count)],
        {
          env: { ...process.env, API_PEER_MODEL: peerModelPath, PYTHONPATH: join(root, "bench") },
          stdio: ["ignore", "ignore", "inherit"],
        },
      ),
  };
  const runs = await alternatingRounds<Side, Run>(["inflow", "peer"], rounds, (side, r) =>
    run(side, r, start[side]),
  );

  const summarise = (side: Side) => ({
    name: names[side],
    ticketsPerSecond: round(median(runs[side].map((x) => x.ticketsPerSecond))),
    secondHalfTicketsPerSecond: round(median(runs[side].map((x) => x.secondHalfTicketsPerSecond))),
    cpuMsPerThousandTickets: round(median(runs[side].map((x) => x.cpuMsPerThousandTickets))),
    brokerCpuMsPerThousandTickets: round(median(runs[side].map((x) => x.brokerCpuMsPerThousandTickets))),
    firstOutputMs: Math.round(median(runs[side].map((x) => x.firstOutputMs))),
    doneMs: Math.round(median(runs[side].map((x) => x.doneMs))),
    duplicates: Math.max(...runs[side].map((x) => x.duplicates)),
    runs: runs[side],
  });
  const inflow = summarise("inflow");
  const peer = summarise("peer");
  const ratios = runs.inflow.map((x, i) => x.ticketsPerSecond / runs.peer[i]!.ticketsPerSecond);
  const cpuRatios = runs.inflow.map(
    (x, i) => runs.peer[i]!.cpuMsPerThousandTickets / x.cpuMsPerThousandTickets,
  );
  const warmRatios = runs.inflow.map(
    (x, i) => x.secondHalfTicketsPerSecond / runs.peer[i]!.secondHalfTicketsPerSecond,
  );
  console.log(
    `\n${"".padEnd(52)} tickets/s  2nd half/s  CPU ms/1k  broker CPU ms/1k  first record  lag 0 after  duplicates   (medians of ${rounds} rounds)`,
  );
  for (const r of [inflow, peer]) {
    console.log(
      `${r.name.padEnd(52)} ${String(Math.round(r.ticketsPerSecond)).padStart(9)}  ${String(Math.round(r.secondHalfTicketsPerSecond)).padStart(10)}  ${String(Math.round(r.cpuMsPerThousandTickets)).padStart(9)}  ${String(Math.round(r.brokerCpuMsPerThousandTickets)).padStart(16)}  ${(r.firstOutputMs / 1000).toFixed(1).padStart(10)} s  ${(r.doneMs / 1000).toFixed(1).padStart(9)} s  ${String(r.duplicates).padStart(10)}`,
    );
  }
  const loads = [...runs.inflow, ...runs.peer].map((x) => x.loadAverage1m);
  console.log(
    `\ninflow / peer throughput, median of per-round ratios: ${median(ratios).toFixed(2)}× whole input, ${median(warmRatios).toFixed(2)}× second half` +
      `  (per round: ${ratios.map((x) => x.toFixed(2)).join(", ")}; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})` +
      `\npeer / inflow CPU time per ticket: ${median(cpuRatios).toFixed(2)}× (per round: ${cpuRatios.map((x) => x.toFixed(2)).join(", ")})`,
  );
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, `bench/results/${routerInput === "words" ? "stream-words" : "stream"}.json`),
    `${JSON.stringify(
      {
        benchmark: "stream",
        tickets: count,
        partitions: 4,
        rounds,
        broker: "Apache Kafka 4.4.0 (KRaft, one node, loopback)",
        machine: {
          cpus: cpus().length,
          loadAverage1m: loadRange(loads),
        },
        measured:
          "first routed record → whole input committed (lag 0), from outside the consumers; second half: half the output → lag 0; CPU: the consumer process's (and the broker's) user + system time over the same span (/proc); medians over rounds alternating which side runs first",
        workers: process.env.INFLOW_STREAM_WORKERS ?? "default (cores − 1, 1 to 4)",
        batch: process.env.INFLOW_STREAM_BATCH ?? "default (500)",
        routerInput,
        shippedLexiconWords: model.lexicon?.words.length ?? 0,
        inflow,
        peer,
        ratio: round(median(ratios)),
        secondHalfRatio: round(median(warmRatios)),
        cpuPerTicketRatio: round(median(cpuRatios)),
        roundRatios: ratios.map(round),
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
  side: Side,
  r: number,
  start: (out: string, group: string) => ReturnType<typeof spawn>,
): Promise<Run> {
  process.stderr.write(`bench:stream: round ${r + 1}/${rounds}: ${names[side]}…\n`);
  const [out, group] = [`${side}.routed.${r}`, `bench-${side}-${r}`];
  const loadAverage1m = round(loadavg()[0]!);
  const child = start(out, group);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    let cpuAtFirstOutput = Number.NaN;
    let brokerCpuAtFirstOutput = Number.NaN;
    const progress = await waitForGroupDone(broker.brokers, group, topicIn, out, count, undefined, () => {
      cpuAtFirstOutput = processCpuMs(child.pid!);
      brokerCpuAtFirstOutput = processCpuMs(broker.pid()!);
    });
    const cpuMs = processCpuMs(child.pid!) - cpuAtFirstOutput;
    const brokerCpuMs = processCpuMs(broker.pid()!) - brokerCpuAtFirstOutput;
    return {
      round: r + 1,
      loadAverage1m,
      firstOutputMs: Math.round(progress.firstOutputMs),
      doneMs: Math.round(progress.doneMs),
      ticketsPerSecond: round(count / ((progress.doneMs - progress.firstOutputMs) / 1000)),
      secondHalfTicketsPerSecond: round(
        (count - Math.ceil(count / 2)) / ((progress.doneMs - progress.halfOutputMs) / 1000),
      ),
      cpuMsPerThousandTickets: round((cpuMs / count) * 1000),
      brokerCpuMsPerThousandTickets: round((brokerCpuMs / count) * 1000),
      duplicates: progress.outputRecords - count,
    };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}
