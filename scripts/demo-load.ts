/**
 * The ticket-load demo: six weeks of generated tickets (daily and weekly rhythm, known department
 * shares), run to labelled tickets (preprocess carrying the arrival time → relabel), then `tickets
 * forecast`: per department, the backtest table with calibrated coverage, tomorrow's expected load
 * and the charts.
 */
import { join, resolve } from "node:path";
import { demoSettingsOrExit, loadDemoBacktestDays } from "./demo-settings.js";
import { runStep } from "./run-step.js";
import { printTable } from "./table.js";

const { demo } = demoSettingsOrExit();
const { date, days } = demo;
const count = demo.tickets ?? 400 * days;
const root = ".inflow/demo-load";
const stores = [
  "--store",
  `file://${resolve(root, "clean")}`,
  "--raw-store",
  `file://${resolve(root, "raw")}`,
];
const inflow = (...args: string[]) =>
  runStep([...args.slice(0, 2), "--date", date, ...stores, ...args.slice(2)]);

inflow(
  "tickets",
  "generate",
  "--count",
  String(count),
  "--days",
  String(days),
  "--seed",
  "16",
  "--truth-out",
  join(root, "truth.jsonl"),
);
const pre = inflow("tickets", "preprocess", "--window-days", String(days), "--carry", "date_received");
console.log(`preprocessed ${pre.tickets} tickets (${pre.rejected} rejected)`);
inflow("tickets", "relabel", "--catalog", "cfpb");
const forecast = inflow(
  "tickets",
  "forecast",
  "--history-days",
  String(days),
  "--backtest-days",
  String(loadDemoBacktestDays),
);

const expected = forecast.expected as Record<string, number>;
const band80 = forecast.expectedBand80 as Record<string, [number, number] | null>;
const backtest = forecast.backtest as Record<string, number | string>[];
const n = (v: unknown, digits = 3) => (typeof v === "number" ? v.toFixed(digits) : "-");
console.log(
  `\nBacktest of the last ${forecast.backtestDays} days before ${date}, per department (chosen model by ${forecast.selectBy}):`,
);
printTable(
  backtest.map((s) => ({
    department: s.department,
    model: s.model,
    sMAPE: n(s.smape),
    MAE: n(s.mae),
    "RMSE mean": n(s.rmseMean),
    "daily sMAPE": n(s.dailySmape),
    CRPS: n(s.crps),
    pinball: n(s.pinball),
    "coverage 50/80/95": [s.coverage50, s.coverage80, s.coverage95].map((c) => n(c, 2)).join("/"),
    "active 50/80/95": [s.activeCoverage50, s.activeCoverage80, s.activeCoverage95]
      .map((c) => n(c, 2))
      .join("/"),
    "daily total 50/80/95": [s.dailyCoverage50, s.dailyCoverage80, s.dailyCoverage95]
      .map((c) => n(c, 2))
      .join("/"),
    [`expected ${date}`]: Math.round(expected[String(s.department)]!),
    "80% band": band80[String(s.department)]?.join("–") ?? "-",
  })),
);
console.log(`\nforecast took ${forecast.forecastSeconds} s for ${forecast.departments} departments`);
console.log("Charts:");
for (const o of (forecast.outputs as string[]).filter((x) => x.endsWith(".png"))) console.log(`  ${o}`);
