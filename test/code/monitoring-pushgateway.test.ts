import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { pino } from "pino";
import {
  groupUrl,
  numericSummaryMetrics,
  pushTaskMetrics,
  renderTaskMetrics,
} from "../../src/monitoring/pushgateway.js";

const finishedAt = new Date("2024-07-02T00:05:00Z");

test("a successful run renders run, success and result gauges", () => {
  const text = renderTaskMetrics({
    pipeline: "activity",
    step: "evaluate",
    date: "2024-07-01",
    status: "ok",
    durationSeconds: 12.5,
    metrics: { smape: 0.42 },
    series: [{ name: "forecast_messages", labels: { hour: "13" }, value: 7 }],
    finishedAt,
  });
  const samples = text.split("\n").filter((line) => line && !line.startsWith("#"));
  assert.deepEqual(samples, [
    "inflow_task_last_run_timestamp_seconds 1719878700",
    "inflow_task_last_status 1",
    "inflow_task_duration_seconds 12.5",
    "inflow_task_logical_date_timestamp_seconds 1719792000",
    "inflow_task_last_success_timestamp_seconds 1719878700",
    'inflow_task_metric{name="smape"} 0.42',
    'inflow_task_metric{name="forecast_messages",hour="13"} 7',
  ]);
  assert.match(text, /^# TYPE inflow_task_metric gauge$/m);
});

test("a failed run renders only the run gauges, so the last success and results are kept", () => {
  const text = renderTaskMetrics({
    pipeline: "tickets",
    step: "train",
    date: "2024-07-01",
    status: "error",
    durationSeconds: 3,
    metrics: { rows: 10 },
    finishedAt,
  });
  assert.match(text, /^inflow_task_last_status 0$/m);
  assert.doesNotMatch(text, /inflow_task_last_success_timestamp_seconds|inflow_task_metric/);
});

test("label values are escaped and reserved labels refused", () => {
  const text = renderTaskMetrics({
    pipeline: "p",
    step: "s",
    date: "2024-07-01",
    status: "ok",
    durationSeconds: 1,
    metrics: { 'a "quoted"\\name\n': Number.NaN },
    finishedAt,
  });
  assert.match(text, /^inflow_task_metric\{name="a \\"quoted\\"\\\\name\\n"\} NaN$/m);
  assert.throws(
    () =>
      renderTaskMetrics({
        pipeline: "p",
        step: "s",
        date: "2024-07-01",
        status: "ok",
        durationSeconds: 1,
        series: [{ name: "x", labels: { step: "other" }, value: 1 }],
      }),
    /may not set label "step"/,
  );
});

test("group URLs carry job, pipeline and step; unusual values use the base64 form", () => {
  assert.equal(
    groupUrl("http://pushgateway:9091/", "activity", "forecast"),
    "http://pushgateway:9091/metrics/job/inflow-tasks/pipeline/activity/step/forecast",
  );
  assert.equal(
    groupUrl("http://pg:9091", "tickets", "a/b"),
    `http://pg:9091/metrics/job/inflow-tasks/pipeline/tickets/step@base64/${Buffer.from("a/b").toString("base64url")}`,
  );
});

test("numericSummaryMetrics keeps finite numbers, one nested level, top level winning", () => {
  assert.deepEqual(
    numericSummaryMetrics({
      status: "ok",
      rows: 120,
      seconds: 4.2,
      bad: Number.NaN,
      metrics: { smape: 0.3, mae: 2, rows: 1, note: "x" },
      list: [1, 2],
    }),
    { smape: 0.3, mae: 2, rows: 120, seconds: 4.2 },
  );
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
  assert.equal(await pushTaskMetrics(run, undefined, log), false);
  assert.equal(await pushTaskMetrics(run, "  ", log), false);
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
