/**
 * Task metrics through the real Pushgateway into a real Prometheus (the shipped inflow-pushgateway
 * scrape job, honor_labels): a success, then a failure that keeps the last success and results.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pino } from "pino";
import { parse, stringify } from "yaml";
import { pushTaskMetrics } from "../../src/monitoring/pushgateway.js";
import { taskResults } from "../../src/monitoring/task-results.js";
import { metricValue } from "../harness/api-server.js";
import { monitoringDir, queryPrometheus, startPrometheus, startPushgateway } from "../harness/prometheus.js";

const silent = pino({ level: "silent" });
const group = { job: "inflow-tasks", pipeline: "activity", step: "evaluate" };

test("pushed task metrics reach Prometheus with their pipeline and step; a failure keeps the last success", {
  timeout: 90_000,
}, async (t) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });
  const pushgateway = await startPushgateway();
  cleanups.push(() => pushgateway.stop());

  const success = new Date("2024-07-02T00:05:00Z");
  const ok = await pushTaskMetrics(
    {
      pipeline: "activity",
      step: "evaluate",
      date: "2024-07-01",
      status: "ok",
      durationSeconds: 8,
      results: [
        { result: taskResults.forecastSmape, value: 0.31 },
        { result: taskResults.forecastMae, value: 2.5 },
        { result: taskResults.actualHourMessages, value: 17, labels: { hour: "09" } },
      ],
      finishedAt: success,
    },
    pushgateway.url,
    silent,
  );
  assert.equal(ok, true, pushgateway.output());
  const failed = await pushTaskMetrics(
    {
      pipeline: "activity",
      step: "evaluate",
      date: "2024-07-02",
      status: "error",
      durationSeconds: 2,
      finishedAt: new Date("2024-07-03T00:05:00Z"),
    },
    pushgateway.url,
    silent,
  );
  assert.equal(failed, true, pushgateway.output());

  const exposed = await (await fetch(`${pushgateway.url}/metrics`)).text();
  assert.equal(metricValue(exposed, "inflow_task_last_status", { ...group, instance: "" }), 0);
  assert.equal(metricValue(exposed, "inflow_task_duration_seconds", { ...group, instance: "" }), 2);
  assert.equal(
    metricValue(exposed, "inflow_task_last_success_timestamp_seconds", { ...group, instance: "" }),
    success.getTime() / 1000,
  );
  assert.equal(metricValue(exposed, "inflow_task_forecast_smape_ratio", { ...group, instance: "" }), 0.31);

  const dir = await mkdtemp(join(tmpdir(), "inflow-pushgateway-prometheus-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const config = parse(await readFile(join(monitoringDir, "prometheus.yml"), "utf8"));
  const job = config.scrape_configs.find((c: { job_name: string }) => c.job_name === "inflow-pushgateway");
  job.static_configs[0].targets = [new URL(pushgateway.url).host];
  config.global.scrape_interval = "1s";
  config.scrape_configs = [job];
  delete config.rule_files;
  delete config.alerting;
  const configFile = join(dir, "prometheus.yml");
  await writeFile(configFile, stringify(config));
  const prometheus = await startPrometheus(configFile);
  cleanups.push(() => prometheus.stop());

  const deadline = Date.now() + 30_000;
  let smape: Awaited<ReturnType<typeof queryPrometheus>> = [];
  while (Date.now() < deadline && smape.length === 0) {
    smape = await queryPrometheus(prometheus.url, 'inflow_task_forecast_smape_ratio{pipeline="activity"}');
    if (smape.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(smape.length, 1, "Prometheus scraped the pushed sMAPE");
  assert.equal(smape[0]!.metric.job, "inflow-tasks", "honor_labels keeps the pushed job");
  assert.equal(smape[0]!.metric.step, "evaluate");
  assert.equal(Number(smape[0]!.value[1]), 0.31);
  const hourly = await queryPrometheus(prometheus.url, 'inflow_task_actual_hour_messages{hour="09"}');
  assert.equal(Number(hourly[0]?.value[1]), 17);
});
