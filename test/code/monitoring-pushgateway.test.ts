import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { test } from "node:test";
import { pino } from "pino";
import { pushTaskMetrics, type TaskRunMetrics, taskRunRegistry } from "../../src/monitoring/pushgateway.js";
import { taskResults } from "../../src/monitoring/task-results.js";

const finishedAt = new Date("2024-07-02T00:05:00Z");

async function samples(run: TaskRunMetrics): Promise<string[]> {
  const text = await taskRunRegistry(run).metrics();
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

test("a successful run renders run and success gauges and one named gauge per result", async () => {
  const run: TaskRunMetrics = {
    pipeline: "activity",
    step: "evaluate",
    date: "2024-07-01",
    status: "ok",
    durationSeconds: 12.5,
    results: [
      { result: taskResults.forecastSmape, value: 0.42 },
      { result: taskResults.forecastHourExpectedMessages, value: 7, labels: { hour: "13" } },
      { result: taskResults.forecastHourExpectedMessages, value: 2.5, labels: { hour: "14" } },
    ],
    finishedAt,
  };
  assert.deepEqual(await samples(run), [
    "inflow_task_last_run_timestamp_seconds 1719878700",
    "inflow_task_last_status 1",
    "inflow_task_duration_seconds 12.5",
    "inflow_task_logical_date_timestamp_seconds 1719792000",
    "inflow_task_last_success_timestamp_seconds 1719878700",
    "inflow_task_forecast_smape_ratio 0.42",
    'inflow_task_forecast_hour_expected_messages{hour="13"} 7',
    'inflow_task_forecast_hour_expected_messages{hour="14"} 2.5',
  ]);
  assert.match(await taskRunRegistry(run).metrics(), /^# TYPE inflow_task_forecast_smape_ratio gauge$/m);
});

test("a failed run renders only the run gauges, so the last success and results are kept", async () => {
  const lines = await samples({
    pipeline: "tickets",
    step: "train",
    date: "2024-07-01",
    status: "error",
    durationSeconds: 3,
    results: [{ result: taskResults.labelledTickets, value: 10 }],
    finishedAt,
  });
  assert.ok(lines.includes("inflow_task_last_status 0"));
  assert.equal(lines.filter((line) => /success|labelled/.test(line)).length, 0, lines.join("\n"));
});

test("a skipped run (nothing to do) is not an error, and not a success that would replace the results", async () => {
  const lines = await samples({
    pipeline: "tickets",
    step: "preprocess",
    date: "2024-07-01",
    status: "skipped",
    durationSeconds: 1,
    results: [{ result: taskResults.labelledTickets, value: 0 }],
    finishedAt,
  });
  assert.ok(lines.includes("inflow_task_last_status 1"), lines.join("\n"));
  assert.equal(lines.filter((line) => /success|labelled/.test(line)).length, 0, lines.join("\n"));
});

test("an unparsable logical date leaves its gauge out instead of pushing NaN", async () => {
  const lines = await samples({
    pipeline: "p",
    step: "s",
    date: "someday",
    status: "error",
    durationSeconds: 1,
  });
  assert.equal(lines.filter((line) => line.startsWith("inflow_task_logical_date")).length, 0);
});

test("result gauges follow Prometheus naming: inflow_task_ prefix, unique, the unit last", () => {
  const names = Object.values(taskResults).map((r) => r.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) {
    assert.match(name, /^inflow_task_[a-z0-9_]+_(ratio|messages|topics|tickets|promoted)$/, name);
    assert.doesNotMatch(name, /_total$/, `${name}: _total is for counters`);
  }
});

interface Received {
  method: string;
  url: string;
  body: string;
}

/** A listener that records requests and answers like the Pushgateway (200, or `status`). */
async function recordingGateway(status = 200): Promise<{ url: string; received: Received[]; close(): void }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method ?? "", url: request.url ?? "", body });
      response.writeHead(status).end(status === 200 ? "" : "pushed metrics are invalid");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => server.close() };
}

test("a success replaces the step's group (PUT), a failure or a skip adds to it (POST)", async (t) => {
  const gateway = await recordingGateway();
  t.after(() => gateway.close());
  const { log } = capturingLogger();
  const run = { pipeline: "activity", step: "evaluate", date: "2024-07-01", durationSeconds: 1, finishedAt };
  assert.equal(await pushTaskMetrics({ ...run, status: "ok" }, `${gateway.url}/`, log), true);
  assert.equal(await pushTaskMetrics({ ...run, status: "error" }, gateway.url, log), true);
  assert.equal(await pushTaskMetrics({ ...run, status: "skipped" }, gateway.url, log), true);
  assert.deepEqual(
    gateway.received.map((r) => `${r.method} ${r.url}`),
    [
      "PUT /metrics/job/inflow-tasks/pipeline/activity/step/evaluate",
      "POST /metrics/job/inflow-tasks/pipeline/activity/step/evaluate",
      "POST /metrics/job/inflow-tasks/pipeline/activity/step/evaluate",
    ],
  );
  assert.match(gateway.received[0]!.body, /^inflow_task_last_status 1$/m);
  assert.match(gateway.received[1]!.body, /^inflow_task_last_status 0$/m);
});

test("a refused push is logged with the gateway's answer, not thrown", async (t) => {
  const gateway = await recordingGateway(400);
  t.after(() => gateway.close());
  const { log, lines } = capturingLogger();
  const run = { pipeline: "p", step: "s", date: "2024-07-01", status: "ok" as const, durationSeconds: 1 };
  assert.equal(await pushTaskMetrics(run, gateway.url, log), false);
  assert.match(lines(), /could not push task metrics to the Pushgateway/);
  assert.match(lines(), /status 400, pushed metrics are invalid/);
});

function capturingLogger(): { log: pino.Logger; lines: () => string } {
  let output = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += chunk;
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), lines: () => output };
}

test("without a URL nothing is pushed", async () => {
  const { log, lines } = capturingLogger();
  const run = { pipeline: "p", step: "s", date: "2024-07-01", status: "ok" as const, durationSeconds: 1 };
  assert.equal(await pushTaskMetrics(run, null, log), false);
  assert.equal(lines(), "");
});

test("an unreachable Pushgateway is logged, not thrown", async () => {
  const { log, lines } = capturingLogger();
  const pushed = await pushTaskMetrics(
    { pipeline: "p", step: "s", date: "2024-07-01", status: "ok", durationSeconds: 1 },
    "http://127.0.0.1:9",
    log,
  );
  assert.equal(pushed, false);
  assert.match(lines(), /could not push task metrics to the Pushgateway/);
});
