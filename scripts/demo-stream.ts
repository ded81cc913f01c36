/**
 * The streaming demo: starts a local Kafka broker (KRaft, from the Maven Central jars of
 * scripts/setup-kafka.sh), produces the generated corpus (garbage rows included) to tickets.raw,
 * runs two `inflow stream` routers as one consumer group plus the raw sink, and prints routed counts
 * per department, duplicates, dead letters and throughput. Model: $INFLOW_MODEL, else the champion of
 * the local store (after `npm run demo`), else a fixture model trained on the spot.
 *
 * Run: npm run demo:stream   (INFLOW_DEMO_TICKETS, default 10000)
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaults } from "../src/config/env.js";
import { championPointerKey } from "../src/tickets/champion.js";
import { generateTickets } from "../src/tickets/generator/generate.js";
import { produceRecords, readTopic, startKafkaBroker, waitForGroupDone } from "../test/harness/kafka.js";
import { buildRoutingModel, writeRoutingModel } from "../test/harness/routing-model-fixture.js";
import { demoSettingsOrExit } from "./demo-settings.js";
import { inflowBin } from "./run-step.js";
import { printTable } from "./table.js";

const count = demoSettingsOrExit().demo.tickets ?? 10_000;
const work = mkdtempSync(join(tmpdir(), "inflow-demo-stream-"));
const store = process.env.INFLOW_STORE ?? defaults.store;
const localChampion = join(store.replace(/^file:\/\//, ""), championPointerKey);

let model = process.env.INFLOW_MODEL;
if (!model && existsSync(localChampion)) model = "champion";
if (!model) {
  process.stderr.write(
    "no champion in the local store (run `npm run demo` for one): training a fixture model\n",
  );
  model = join(work, "model.json");
  await writeRoutingModel(model, buildRoutingModel({ tickets: 2000 }));
}

process.stderr.write("starting a local Kafka broker (KRaft)…\n");
const broker = await startKafkaBroker();
try {
  const tickets = [
    ...generateTickets({
      count,
      seed: 2026,
      garbageRate: 0.01,
      startDate: "2026-11-01",
      endDate: "2026-11-30",
    }),
  ].map(({ ticket }) => ({ id: ticket.id, text: ticket.text }));
  await produceRecords(broker.brokers, "tickets.raw", tickets);
  process.stderr.write(`produced ${tickets.length} generated tickets to tickets.raw (4 partitions)\n`);

  const env = {
    ...process.env,
    INFLOW_KAFKA_BROKERS: broker.brokers,
    INFLOW_MODEL: model,
    INFLOW_STORE: store,
    INFLOW_RAW_STORE: `file://${work}/raw`,
    INFLOW_STREAM_METRICS_PORT: "0",
    INFLOW_STREAM_SINK_FLUSH_SECONDS: "1",
    INFLOW_LOG_LEVEL: process.env.INFLOW_LOG_LEVEL ?? "warn",
  };
  const members = [["stream"], ["stream"], ["stream", "--role", "sink"]].map((args) =>
    spawn(process.execPath, [inflowBin, ...args], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  const progress = await waitForGroupDone(
    broker.brokers,
    "inflow-router",
    "tickets.raw",
    "tickets.routed",
    1,
  );
  const routed = await readTopic(broker.brokers, "tickets.routed", (r) => r.length >= progress.outputRecords);
  const dead = await readTopic(broker.brokers, "tickets.dead-letter", () => true, { timeoutMs: 3000 }).catch(
    () => [],
  );
  const sink = await waitForGroupDone(broker.brokers, "inflow-raw-sink", "tickets.raw", "tickets.raw", 1);
  for (const member of members) member.kill("SIGTERM");
  await Promise.all(members.map((m) => new Promise((done) => m.once("exit", done))));

  const byDepartment = new Map<string, number>();
  const ids = new Set<string>();
  for (const record of routed) {
    ids.add(record.key);
    const department = (JSON.parse(record.value) as { department: string }).department;
    byDepartment.set(department, (byDepartment.get(department) ?? 0) + 1);
  }
  const seconds = (progress.doneMs - progress.firstOutputMs) / 1000;
  console.log("\nrouted tickets per department:");
  printTable(
    [...byDepartment].sort((a, b) => b[1] - a[1]).map(([department, tickets]) => ({ department, tickets })),
  );
  const reasons = new Map<string, number>();
  for (const d of dead)
    reasons.set(d.headers["inflow-error"] ?? "?", (reasons.get(d.headers["inflow-error"] ?? "?") ?? 0) + 1);
  console.log(
    `routed records:  ${routed.length} for ${ids.size} tickets (duplicates: ${routed.length - ids.size})`,
  );
  console.log(`dead letters:    ${dead.length} ${JSON.stringify(Object.fromEntries(reasons))}`);
  console.log(
    `throughput:      ${Math.round(tickets.length / seconds)} tickets/s end to end (2 routers, first routed record → lag 0)`,
  );
  const rawDir = join(work, "raw/tickets");
  const files = existsSync(rawDir)
    ? readdirSync(rawDir).flatMap((day) => readdirSync(join(rawDir, day)).map((f) => join(rawDir, day, f)))
    : [];
  const stored = files.reduce((n, f) => n + readFileSync(f, "utf8").split("\n").filter(Boolean).length, 0);
  console.log(
    `raw sink:        ${stored} tickets in ${files.length} files under tickets/date=…/ (lag 0 after ${(sink.doneMs / 1000).toFixed(1)} s)`,
  );
} finally {
  await broker.stop();
  rmSync(work, { recursive: true, force: true });
}
