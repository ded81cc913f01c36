import assert from "node:assert/strict";
import { test } from "node:test";
import { pointForecast } from "../../src/activity/forecasters/types.js";
import { forecastRecord } from "../../src/activity/pipeline/forecast-record.js";
import type { DepartmentLoad, LoadForecastRecord } from "../../src/tickets/load-forecast.js";
import { loadReportCaption, REPORT_CHARTS, reportChartNames } from "../../src/tickets/load-report.js";

/** A department expecting `perHour` tickets in each hour but 14:00, which gets twice as many. */
function department(name: string, perHour: number): DepartmentLoad {
  const values = Float64Array.from({ length: 24 }, (_, h) => (h === 14 ? 2 * perHour : perHour));
  const labels = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));
  const day = forecastRecord(
    { chat: name, zone: "UTC", date: "2026-02-01", model: "seasonal-hurdle" },
    Date.parse("2026-02-01T00:00:00Z") / 1000,
    labels,
    pointForecast(values),
  );
  day.totalBands = [
    { level: 0.8, lower: Math.floor(day.expectedTotal * 0.8), upper: Math.ceil(day.expectedTotal * 1.2) },
  ];
  const score = {
    model: "seasonal-hurdle",
    smape: 0.4,
    mae: 1,
    rmse: 1.5,
    rmseMean: 1.3,
    dailySmape: 0.2,
    crps: 0.7,
    days: 28,
    hours: 672,
    coverage80: 0.81,
  };
  return {
    department: name,
    historyTickets: 1000,
    chosen: "seasonal-hurdle",
    params: {},
    scores: [score],
    day,
    days: Array.from({ length: 7 }, (_, d) => ({ date: `2026-02-0${d + 1}`, expected: day.expectedTotal })),
  };
}

const record = (departments: DepartmentLoad[]): LoadForecastRecord => ({
  date: "2026-02-01",
  zone: "UTC",
  historyDays: 91,
  backtestDays: 28,
  selectBy: "crps",
  departments,
});

test("load report: departments busiest first, with band, busiest hour and backtest coverage", () => {
  const r = record([department("Lending", 1), department("Cards & <Co>", 4)]);
  const caption = loadReportCaption(r, "https://mlflow.example/run/1");
  const lines = caption.split("\n");
  assert.equal(lines[0], "<b>Ticket load 2026-02-01</b> (UTC hours)");
  assert.equal(
    lines[1],
    "Expected <b>125</b> tickets in 2 departments; next 7 days: 125, 125, 125, 125, 125, 125, 125",
  );
  assert.equal(lines[2], '<a href="https://mlflow.example/run/1">Tracked run</a>');
  assert.equal(
    lines[3],
    "Cards &amp; &lt;Co&gt;: <b>100</b> (80%: 80–120), busiest 14:00 · seasonal-hurdle · 80% band held 81% in backtest",
  );
  assert.match(lines[4]!, /^Lending: <b>25<\/b>/);
  assert.deepEqual(reportChartNames(r), ["chart-cards-co.png", "chart-lending.png"]);
});

test("load report: an album holds at most 10 charts, and a long list is cut from its quietest end", () => {
  const many = record(
    Array.from({ length: 40 }, (_, i) => department(`Queue number ${i + 1} of the desk`, i + 1)),
  );
  const names = reportChartNames(many);
  assert.equal(names.length, REPORT_CHARTS);
  assert.equal(names[0], "chart-queue-number-40-of-the-desk.png");
  const caption = loadReportCaption(many, "/runs/x/run.json");
  assert.match(caption, /\nCharts: the 10 busiest departments\n/);
  assert.match(caption, /Tracked run: <code>\/runs\/x\/run\.json<\/code>/);
  assert.match(caption, /Queue number 40 of the desk/);
  assert.doesNotMatch(
    caption,
    /Queue number 1 of the desk/,
    "the quietest are dropped to fit 1,024 characters",
  );
});
