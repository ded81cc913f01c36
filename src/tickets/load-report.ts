/**
 * The ticket-load morning report: the busiest departments' charts as one album (Telegram takes at
 * most 10 photos in one) and a caption with each department's expected tickets on the day, its 80%
 * band, busiest hour, model and how its 80% band held up in the backtest. Departments are listed by
 * expected load, so when the caption must be cut (1,024 characters) the quietest go first. The
 * tracked run's link comes before them.
 */
import { totalBand80 } from "../activity/pipeline/forecast-record.js";
import { escapeHtml, fitCaption, trackedRunLine } from "../telegram/caption.js";
import { type DepartmentLoad, departmentSlug, type LoadForecastRecord } from "./load-forecast.js";

/** Telegram's limit on the photos of one album. */
export const REPORT_CHARTS = 10;

const whole = (v: number) => Math.round(v).toLocaleString("en-US");

/** The departments by expected tickets on the day, busiest first (ties by name). */
export function byExpectedLoad(record: LoadForecastRecord): DepartmentLoad[] {
  return [...record.departments].sort(
    (a, b) => b.day.expectedTotal - a.day.expectedTotal || a.department.localeCompare(b.department),
  );
}

/** The chart files the report posts: the busiest departments', at most REPORT_CHARTS. */
export function reportChartNames(record: LoadForecastRecord): string[] {
  return byExpectedLoad(record)
    .slice(0, REPORT_CHARTS)
    .map((l) => `chart-${departmentSlug(l.department)}.png`);
}

export function loadReportCaption(record: LoadForecastRecord, runLink?: string): string {
  const loads = byExpectedLoad(record);
  const total = loads.reduce((sum, l) => sum + l.day.expectedTotal, 0);
  const week = loads[0]?.days.map((_, d) => loads.reduce((sum, l) => sum + l.days[d]!.expected, 0)) ?? [];
  const lines = [
    `<b>Ticket load ${record.date}</b> (${escapeHtml(record.zone)} hours)`,
    `Expected <b>${whole(total)}</b> tickets in ${loads.length} departments; next ${week.length} days: ${week.map(whole).join(", ")}`,
  ];
  // Before the departments: a long list is cut from its end, never the run's link.
  if (runLink) lines.push(trackedRunLine(runLink));
  if (loads.length > REPORT_CHARTS) lines.push(`Charts: the ${REPORT_CHARTS} busiest departments`);
  for (const load of loads) {
    const band = totalBand80(load.day);
    const peak = load.day.hours.reduce((best, h) => (h.mean > best.mean ? h : best));
    const chosen = load.scores.find((s) => s.model === load.chosen);
    const held =
      chosen?.coverage80 === undefined
        ? ""
        : ` · 80% band held ${Math.round(100 * chosen.coverage80)}% in backtest`;
    lines.push(
      `${escapeHtml(load.department)}: <b>${whole(load.day.expectedTotal)}</b>${band ? ` (80%: ${band.lower}–${band.upper})` : ""}, busiest ${escapeHtml(peak.label)}:00 · ${escapeHtml(load.chosen)}${held}`,
    );
  }
  return fitCaption(lines);
}
