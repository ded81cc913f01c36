/**
 * The morning report's caption (Telegram HTML): yesterday's totals and scores, today's expected
 * total and busiest hour, the model, and a link to the tracked run. Lines are dropped from the end
 * when the caption would exceed Telegram's limit, so the most important come first.
 */
import { escapeHtml, fitCaption, trackedRunLine } from "../../telegram/caption.js";
import type { DayEvaluation } from "./evaluation.js";
import { type ForecastRecord, totalBand80 } from "./forecast-record.js";

export interface CaptionInput {
  chat: string;
  evaluation: DayEvaluation;
  forecast: ForecastRecord;
  /** Link (URL) or path of the tracked run holding the metrics. */
  runLink?: string;
}

const n1 = (v: number) => (Math.round(v * 10) / 10).toLocaleString("en-US");
const n2 = (v: number) => v.toFixed(2);

export function reportCaption({ chat, evaluation: e, forecast: f, runLink }: CaptionInput): string {
  const lines = [`<b>Chat activity: ${escapeHtml(chat)}</b> (${escapeHtml(f.zone)})`];
  if (e.metrics && e.expectedTotal !== null) {
    const error = e.metrics.totalError;
    const relative =
      e.actualTotal > 0 ? ` (${error >= 0 ? "+" : ""}${Math.round((100 * error) / e.actualTotal)}%)` : "";
    lines.push(
      `Yesterday ${e.day}: <b>${n1(e.actualTotal)}</b> messages, forecast ${n1(e.expectedTotal)}${relative}`,
      `sMAPE ${n2(e.metrics.smape)} · MAE ${n2(e.metrics.mae)} · RMSE ${n2(e.metrics.rmse)} · daily sMAPE ${n2(e.metrics.dailySmape)}` +
        (e.metrics.coverage80 === null
          ? ""
          : ` · 80% band held ${Math.round(100 * e.metrics.coverage80)}% of hours` +
            (e.metrics.activeCoverage80 === null
              ? ""
              : `, ${Math.round(100 * e.metrics.activeCoverage80)}% of active ones`)),
    );
  } else {
    lines.push(`Yesterday ${e.day}: <b>${n1(e.actualTotal)}</b> messages (no forecast was made for it)`);
  }
  const peak = f.hours.reduce((best, h) => (h.mean > best.mean ? h : best));
  const band = totalBand80(f);
  lines.push(
    `Today ${f.date}: expected <b>${n1(f.expectedTotal)}</b> messages${band ? ` (80%: ${band.lower}–${band.upper})` : ""}, busiest hour ${escapeHtml(peak.label)}:00 (≈${n1(peak.mean)})`,
    `Model: ${escapeHtml(f.model)}`,
  );
  if (runLink) lines.push(trackedRunLine(runLink));
  return fitCaption(lines);
}
