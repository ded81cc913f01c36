/**
 * The load forecast's gauges for the Pushgateway (src/tickets/load-metrics.ts): one series per
 * department, UTC hour and band level, each hour's start for the rules to pick the hour in progress;
 * a day that is over, or no Pushgateway, pushes nothing; an unreachable one never fails the task.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pino } from "pino";
import { loadForecastRegistry, pushLoadForecast } from "../../src/tickets/load-metrics.js";
import { smallLoadForecast } from "../harness/load-forecast-fixture.js";

const silent = pino({ level: "silent" });
const date = "2026-10-03";
const loads = smallLoadForecast(date, 5);

test("the gauges hold every department's expected tickets and 50/80/95% bands per UTC hour of the day", async () => {
  const metrics = await loadForecastRegistry(loads).getMetricsAsJSON();
  const values = (name: string) => metrics.find((m) => m.name === name)!.values;
  const starts = values("inflow_load_forecast_hour_start_timestamp_seconds");
  assert.equal(starts.length, 24);
  assert.deepEqual(starts.find((v) => v.labels.hour === "13")?.value, Date.parse(`${date}T13:00:00Z`) / 1000);
  const expected = values("inflow_load_forecast_expected_tickets");
  assert.equal(expected.length, 24 * loads.length);
  const load = loads[0]!;
  const at13 = load.day.hours[13]!;
  assert.equal(
    expected.find((v) => v.labels.department === load.department && v.labels.hour === "13")?.value,
    at13.mean,
  );
  for (const [level, band] of [
    ["50", at13.band50],
    ["80", at13.band80],
    ["95", at13.band95],
  ] as const) {
    const pick = (name: string) =>
      values(name).find(
        (v) => v.labels.department === load.department && v.labels.hour === "13" && v.labels.level === level,
      )?.value;
    assert.deepEqual(
      [pick("inflow_load_forecast_lower_tickets"), pick("inflow_load_forecast_upper_tickets")],
      band,
    );
  }
});

test("nothing is pushed without a Pushgateway or for a day that is over; an unreachable one only warns", async () => {
  assert.equal(await pushLoadForecast(loads, date, { url: null, log: silent }), "not-configured");
  // Never contacted: the port is closed, so a push attempt would answer "failed".
  const closed = "http://127.0.0.1:9";
  assert.equal(
    await pushLoadForecast(loads, date, { url: closed, now: new Date(`${date}T23:59:59Z`), log: silent }),
    "failed",
  );
  assert.equal(
    await pushLoadForecast(loads, date, { url: closed, now: new Date("2026-10-04T00:00:00Z"), log: silent }),
    "past-day",
  );
});
