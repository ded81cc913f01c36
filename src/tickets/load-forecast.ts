/**
 * Ticket load per department: the hourly count of tickets each department receives, forecast with
 * the chat-activity forecasters (src/activity/forecasters) and chosen per department by the same
 * rolling-origin backtest as `activity train`. A department's series is the tickets routed to it
 * per UTC hour; the forecast covers the day D hour by hour (with the calibrated 50/80/95% bands of
 * src/activity/intervals.ts), the expected totals of the 7 days D..D+6 (sums of hourly means) and
 * the 50/80/95% bands of D's total.
 */
import { backtest, type SelectionMetric } from "../activity/backtest.js";
import { type ForecastRecord, forecastRecord, totalBand80 } from "../activity/pipeline/forecast-record.js";
import { hourLabels } from "../activity/pipeline/hour-labels.js";
import { candidateModels, MIN_HISTORY_DAYS, type PublishedScore } from "../activity/pipeline/models.js";
import { type HourlySeries, hourlySeries } from "../activity/series.js";
import { addDays } from "../activity/zone.js";

/** Ticket times are UTC in every source Inflow reads; staffing days are UTC days too. */
export const LOAD_ZONE = "UTC";
/** Days forecast as daily totals, starting with D. */
export const LOAD_DAYS_AHEAD = 7;

/** One routed ticket: when it arrived (unix seconds) and the department it was routed to. */
export interface TicketArrival {
  at: number;
  department: string;
}

export interface DepartmentLoad {
  department: string;
  /** Tickets in the history (all hours before D). */
  historyTickets: number;
  chosen: string;
  params: Record<string, number>;
  scores: PublishedScore[];
  /** The hours of D. */
  day: ForecastRecord;
  /** Expected tickets on each of the days D..D+6. */
  days: { date: string; expected: number }[];
}

/** What `tickets forecast` publishes as load-forecast.json. */
export interface LoadForecastRecord {
  date: string;
  zone: string;
  historyDays: number;
  backtestDays: number;
  selectBy: SelectionMetric;
  departments: DepartmentLoad[];
}

/** A department's name as it appears in file names and tracker keys ("Fraud and disputes" → "fraud-and-disputes"). */
export function departmentSlug(department: string): string {
  return department
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export interface LoadForecastOptions {
  /** The logical date D: history is every UTC hour before D. */
  date: string;
  /** Days of history (D−historyDays .. D−1). */
  historyDays: number;
  /** Days scored by the backtest, the last before D; capped by the history (see `backtestDaysFor`). */
  backtestDays: number;
  selectBy: SelectionMetric;
}

/** Hourly counts per department over the history window; departments sorted by name. */
export function departmentSeries(
  arrivals: Iterable<TicketArrival>,
  departments: readonly string[],
  date: string,
  historyDays: number,
): Map<string, HourlySeries> {
  const window = { zone: LOAD_ZONE, firstDay: addDays(date, -historyDays), lastDay: addDays(date, -1) };
  const times = new Map<string, number[]>([...departments].sort().map((d) => [d, []]));
  for (const a of arrivals) times.get(a.department)?.push(a.at);
  return new Map([...times].map(([department, at]) => [department, hourlySeries(at, window)]));
}

/** The backtest length: the requested days, or fewer when the history cannot hold them. */
export function backtestDaysFor(historyDays: number, requested: number): number {
  return Math.max(0, Math.min(requested, historyDays - MIN_HISTORY_DAYS));
}

/**
 * Backtests every candidate on the department's series, keeps the one with the lowest `selectBy`,
 * refits it on the whole history and forecasts D..D+6.
 */
export function forecastDepartment(
  department: string,
  series: HourlySeries,
  options: LoadForecastOptions,
): DepartmentLoad {
  const days = backtestDaysFor(series.days.length, options.backtestDays);
  if (days < 1) {
    throw new RangeError(
      `${series.days.length} days of history; the backtest needs at least ${MIN_HISTORY_DAYS + 1}`,
    );
  }
  const models = candidateModels();
  const result = backtest(
    series.counts,
    models.map((m) => m.forecaster),
    { days, dayStarts: series.dayStarts, selectBy: options.selectBy },
  );
  const spec = models.find((m) => m.forecaster.name === result.chosen)!;
  const hours = 24 * LOAD_DAYS_AHEAD;
  const forecast = spec.forecaster.fit(series.counts).forecast(hours);
  const start = series.start + 3600 * series.counts.length;
  const firstDay = {
    mean: forecast.mean.subarray(0, 24),
    median: forecast.median.subarray(0, 24),
    quantiles: forecast.quantiles.map((q) => ({ q: q.q, values: q.values.subarray(0, 24) })),
    ...(forecast.cdf ? { cdf: forecast.cdf } : {}),
    ...(forecast.recentActiveMids ? { recentActiveMids: forecast.recentActiveMids } : {}),
    ...(forecast.recentDays ? { recentDays: forecast.recentDays } : {}),
  };
  let historyTickets = 0;
  for (const c of series.counts) historyTickets += c;
  return {
    department,
    historyTickets,
    chosen: result.chosen,
    params: spec.params,
    scores: result.scores.map(({ seconds: _seconds, ...score }) => score),
    day: forecastRecord(
      { chat: department, zone: LOAD_ZONE, date: options.date, model: result.chosen },
      start,
      hourLabels(start, 24, LOAD_ZONE),
      firstDay,
    ),
    days: Array.from({ length: LOAD_DAYS_AHEAD }, (_, d) => {
      let expected = 0;
      for (let k = 24 * d; k < 24 * (d + 1); k++) expected += forecast.mean[k]!;
      return { date: addDays(options.date, d), expected };
    }),
  };
}

/**
 * Every department with at least one ticket in the history, forecast on its own series; departments
 * without any are listed apart (there is nothing to learn a rhythm from).
 */
export function forecastLoad(
  arrivals: Iterable<TicketArrival>,
  departments: readonly string[],
  options: LoadForecastOptions,
): { loads: DepartmentLoad[]; withoutTickets: string[] } {
  const series = [...departmentSeries(arrivals, departments, options.date, options.historyDays)];
  const busy = series.filter(([, s]) => s.counts.some((c) => c > 0));
  return {
    loads: busy.map(([department, s]) => forecastDepartment(department, s, options)),
    withoutTickets: series.filter(([, s]) => !busy.some(([, b]) => b === s)).map(([d]) => d),
  };
}

const fixed = (v: number) => String(Math.round(v * 10_000) / 10_000);
const quoted = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** One row per department and hour of D: mean, median and the 50/80/95% bands. */
export function loadHoursCsv(loads: readonly DepartmentLoad[]): string {
  const lines = ["department,hour_start_utc,mean,median,lo50,hi50,lo80,hi80,lo95,hi95"];
  for (const load of loads) {
    for (const h of load.day.hours) {
      const bands = [h.band50, h.band80, h.band95].map((b) => (b ? b.map(fixed).join(",") : ","));
      lines.push([quoted(load.department), h.start, fixed(h.mean), fixed(h.median), ...bands].join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * One row per department and day D..D+6: the expected number of tickets, and for D the 80% band of
 * its total (the bands are calibrated on one-day-ahead forecasts, so later days have none).
 */
export function loadDaysCsv(loads: readonly DepartmentLoad[]): string {
  const lines = ["department,date,expected,lo80,hi80"];
  for (const load of loads) {
    const band = totalBand80(load.day);
    load.days.forEach((d, i) => {
      const bounds = i === 0 && band ? [band.lower, band.upper] : ["", ""];
      lines.push([quoted(load.department), d.date, fixed(d.expected), ...bounds].join(","));
    });
  }
  return `${lines.join("\n")}\n`;
}
