/**
 * The activity demo: a generated group chat (13 months, Europe/Berlin, the reference shape)
 * written as a Telegram Desktop export, ingested, then the daily job for two consecutive dates
 * (aggregate → evaluate → train → forecast, and chart on the second), so the second date scores
 * the first one's forecast. Posts the morning report only when a bot token and report chat are set.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateActivity } from "../src/activity/generate.js";
import { telegramExportJson } from "../src/activity/sources/telegram-export-writer.js";
import { addDays } from "../src/activity/zone.js";
import { demoSettingsOrExit } from "./demo-settings.js";
import { runStep, type Summary } from "./run-step.js";
import { printTable } from "./table.js";

const generated = generateActivity({ seed: demoSettingsOrExit().demo.seed });
const { firstDay, days, zone } = generated.options;
const today = addDays(firstDay, days); // the day after the generated history
const yesterday = addDays(today, -1);
const chatId = 1500000001;
const dir = ".inflow/demo-activity";
mkdirSync(dir, { recursive: true });
const exportPath = join(dir, "result.json");
writeFileSync(
  exportPath,
  telegramExportJson(generated.messages, { name: "Inflow demo chat", id: chatId, zone }),
);

const env = {
  ...process.env,
  INFLOW_ACTIVITY_CHAT: process.env.INFLOW_ACTIVITY_CHAT ?? String(chatId),
  INFLOW_ACTIVITY_TIME_ZONE: process.env.INFLOW_ACTIVITY_TIME_ZONE ?? zone,
  INFLOW_LOG_LEVEL: process.env.INFLOW_LOG_LEVEL ?? "warn",
};

function inflow(...args: string[]): Summary {
  return runStep(["activity", ...args], env);
}

const round = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : "-");
const coverageCell = (s: Record<string, unknown>, prefix: string) =>
  s[`${prefix}80`] === undefined
    ? "-"
    : [50, 80, 95].map((p) => Number(s[`${prefix}${p}`]).toFixed(2)).join("/");

console.log(
  `Generated ${generated.messages.length} messages over ${generated.hours} hours (${firstDay} .. ${yesterday}, ${zone}) → ${exportPath}`,
);
const ingested = inflow("ingest", "--date", today, "--export", exportPath);
console.log(
  `Ingested ${ingested.messages} messages: ${ingested.partitionsWritten} UTC-date history partitions written, ${ingested.partitionsUnchanged} already up to date`,
);

let train: Summary = {};
let evaluation: Summary = {};
for (const date of [yesterday, today]) {
  const series = inflow("aggregate", "--date", date);
  evaluation = inflow("evaluate", "--date", date);
  train = inflow("train", "--date", date);
  const forecast = inflow("forecast", "--date", date);
  console.log(
    `[${date}] ${series.days} days of hours (${(100 * Number(series.emptyHourShare)).toFixed(0)}% empty, peak ${series.peakPerHour}/h); ` +
      `model ${forecast.model}: ${forecast.hours} hours, expected ${Number(forecast.expectedTotal).toFixed(1)} messages` +
      (forecast.totalBand80 ? ` (80% band ${(forecast.totalBand80 as number[]).join("–")})` : ""),
  );
}
const charts = inflow("chart", "--date", today);

console.log(
  `\nBacktest of the last ${train.backtestDays} days before ${today} (chosen by ${train.selectBy}: ${train.chosen}):`,
);
printTable(
  (train.scores as Record<string, unknown>[]).map((s) => ({
    model: String(s.model),
    sMAPE: round(s.smape),
    MAE: round(s.mae),
    RMSE: round(s.rmse),
    "RMSE mean": round(s.rmseMean),
    "daily sMAPE": round(s.dailySmape),
    CRPS: round(s.crps),
    pinball: round(s.pinball),
    "cover 50/80/95": coverageCell(s, "coverage"),
    "active 50/80/95": coverageCell(s, "activeCoverage"),
    "daily total 50/80/95": coverageCell(s, "dailyCoverage"),
  })),
);
const metrics = evaluation.metrics as Record<string, number> | null;
console.log(
  `Yesterday (${yesterday}): ${evaluation.actualTotal} messages, forecast ${Number(evaluation.expectedTotal).toFixed(1)}` +
    (metrics
      ? `; sMAPE ${metrics.smape!.toFixed(3)}, MAE ${metrics.mae!.toFixed(3)}, RMSE ${metrics.rmse!.toFixed(3)}, 80% coverage ${round(metrics.coverage80)} (active hours ${round(metrics.activeCoverage80)}), total inside its 80% band: ${metrics.totalInside80 ?? "-"}`
      : ""),
);
console.log(`\nCharts:\n  ${(charts.outputs as string[]).join("\n  ")}`);

if (process.env.TELEGRAM_BOT_TOKEN && process.env.INFLOW_REPORT_CHAT_ID) {
  const report = inflow("report", "--date", today);
  console.log(`Report to ${report.reportChat}: ${report.decision}`);
} else {
  console.log(
    "Set TELEGRAM_BOT_TOKEN and INFLOW_REPORT_CHAT_ID to post the morning report (inflow activity report).",
  );
}
console.log(`
Everything was written under ./.inflow:
  history, series, evaluation, model choice, forecast, charts
                    .inflow/customer-sup-tickets-clean/activity/chat=${env.INFLOW_ACTIVITY_CHAT}/
  tracked runs      .inflow/runs/inflow-activity/<run id>/run.json`);
