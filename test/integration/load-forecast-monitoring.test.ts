/**
 * The load forecast through the real Pushgateway into a real Prometheus running the shipped
 * monitoring/rules/load.yml: the recorded series of the hour in progress carry the pushed forecast of
 * every department, which the Grafana panel and InflowTicketLoadOutsideBand read (the alert's
 * firing and quiet cases are promtool unit tests in monitoring/rules/tests/load.test.yml).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pino } from "pino";
import { parse, stringify } from "yaml";
import { pushLoadForecast } from "../../src/tickets/load-metrics.js";
import { smallLoadForecast } from "../harness/load-forecast-fixture.js";
import { monitoringDir, queryPrometheus, startPrometheus, startPushgateway } from "../harness/prometheus.js";

test("a pushed load forecast reaches Prometheus and the rules select the hour in progress", {
  timeout: 120_000,
}, async (t) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });
  // The rules compare with the hour holding the middle of the last 60 minutes: that hour's day.
  const windowMiddle = new Date(Date.now() - 1_800_000);
  const date = windowMiddle.toISOString().slice(0, 10);
  const loads = smallLoadForecast(date, 9);

  const pushgateway = await startPushgateway();
  cleanups.push(() => pushgateway.stop());
  const log = pino({ level: "silent" });
  assert.equal(
    await pushLoadForecast(loads, date, { url: pushgateway.url, now: windowMiddle, log }),
    "pushed",
  );

  const dir = await mkdtemp(join(tmpdir(), "inflow-load-prometheus-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const config = parse(await readFile(join(monitoringDir, "prometheus.yml"), "utf8"));
  const job = config.scrape_configs.find((c: { job_name: string }) => c.job_name === "inflow-pushgateway");
  job.static_configs[0].targets = [new URL(pushgateway.url).host];
  config.global = { scrape_interval: "1s", evaluation_interval: "1s" };
  config.scrape_configs = [job];
  config.rule_files = [join(monitoringDir, "rules", "load.yml")];
  delete config.alerting;
  const configFile = join(dir, "prometheus.yml");
  await writeFile(configFile, stringify(config));
  const prometheus = await startPrometheus(configFile);
  cleanups.push(() => prometheus.stop());

  const deadline = Date.now() + 60_000;
  let current: Awaited<ReturnType<typeof queryPrometheus>> = [];
  while (Date.now() < deadline && current.length < loads.length) {
    current = await queryPrometheus(
      prometheus.url,
      "department:inflow_load_forecast_expected_tickets:current",
    );
    if (current.length < loads.length) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(current.length, loads.length, "one current forecast per department");
  // The hour in progress when Prometheus evaluated the rule (minutes later than `windowMiddle` at most).
  const evaluated = new Date(Number(current[0]!.value[0]) * 1000 - 1_800_000).toISOString().slice(0, 13);
  for (const load of loads) {
    const hour = load.day.hours.find((h) => h.start.slice(0, 13) === evaluated);
    const series = current.find((s) => s.metric.department === load.department);
    assert.ok(hour && series, `${load.department} at ${evaluated}`);
    assert.ok(
      Math.abs(Number(series.value[1]) - hour.mean) < 1e-9,
      `${load.department}: ${series.value[1]} vs ${hour.mean}`,
    );
  }
  const upper = await queryPrometheus(
    prometheus.url,
    'department_level:inflow_load_forecast_upper_tickets:current{level="95"}',
  );
  assert.equal(upper.length, loads.length, "the 95% band's upper ends of the hour in progress");
});
