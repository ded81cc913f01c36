/** A day's forecast as the `forecast` step publishes it (JSON and CSV). */
import type { HourForecast } from "../../charts/hourly-scales.js";
import type { Forecast } from "../forecasters/types.js";
import {
  dailyBands,
  dayTails,
  INTERVAL_LEVELS,
  type IntervalTails,
  intervalsOf,
  type TotalBand,
} from "../intervals.js";

/** [lower, upper] of a prediction interval, inclusive, in messages. */
export type Band = [number, number];

export interface ForecastHour {
  /** ISO 8601 UTC start of the hour. */
  start: string;
  /** Local wall-clock hour "HH" ("02′" for the repeated hour of a fall-back day). */
  label: string;
  mean: number;
  /** The hourly point forecast. */
  median: number;
  /** Predictive quantiles; null for point models. */
  q10: number | null;
  q50: number | null;
  q90: number | null;
  /** P(at least one message); null for point models. */
  pActive: number | null;
  /** Calibrated 50/80/95% prediction intervals (see intervals.ts); null for point models. */
  band50: Band | null;
  band80: Band | null;
  band95: Band | null;
}

export interface ForecastRecord {
  chat: string;
  zone: string;
  /** The local day forecast (the logical date of the run). */
  date: string;
  model: string;
  /** Data used: every hour before this instant (local midnight of `date`). */
  origin: string;
  /** 24, or 23/25 on a DST change day. */
  hours: ForecastHour[];
  /** Sum of the hourly means: the expected number of messages of the day. */
  expectedTotal: number;
  /** 50/80/95% bands for the day's total (see `dailyBands`); empty when the model keeps no record. */
  totalBands: TotalBand[];
  probabilistic: boolean;
  /** The day's interval tails on the mid-distribution function, per level; empty for point models. */
  intervalTails: IntervalTails[];
}

export function forecastRecord(
  meta: { chat: string; zone: string; date: string; model: string },
  start: number,
  labels: readonly string[],
  forecast: Forecast,
): ForecastRecord {
  const quantile = (q: number) => forecast.quantiles.find((s) => s.q === q)?.values;
  const [q10, q50, q90] = [quantile(0.1), quantile(0.5), quantile(0.9)];
  const { cdf } = forecast;
  const probabilistic = q10 !== undefined && q50 !== undefined && q90 !== undefined && cdf !== undefined;
  const horizon = labels.length;
  const intervalTails = probabilistic
    ? INTERVAL_LEVELS.map((level) => dayTails(cdf, horizon, level, forecast.recentActiveMids))
    : [];
  const [i50, i80, i95] = probabilistic ? intervalsOf(cdf, horizon, intervalTails) : [];
  const band = (interval: typeof i50, k: number): Band | null =>
    interval ? [interval.lower[k]!, interval.upper[k]!] : null;
  let expectedTotal = 0;
  const hours = labels.map((label, k): ForecastHour => {
    expectedTotal += forecast.mean[k]!;
    return {
      start: new Date((start + 3600 * k) * 1000).toISOString(),
      label,
      mean: forecast.mean[k]!,
      median: forecast.median[k]!,
      q10: probabilistic ? q10[k]! : null,
      q50: probabilistic ? q50[k]! : null,
      q90: probabilistic ? q90[k]! : null,
      pActive: probabilistic ? 1 - cdf(k, 0) : null,
      band50: band(i50, k),
      band80: band(i80, k),
      band95: band(i95, k),
    };
  });
  return {
    ...meta,
    origin: new Date(start * 1000).toISOString(),
    hours,
    expectedTotal,
    totalBands: forecast.recentDays ? dailyBands(expectedTotal, forecast.recentDays) : [],
    probabilistic,
    intervalTails,
  };
}

/** The 80% band of the day's total; forecasts published before daily bands have none. */
export function totalBand80(record: ForecastRecord): TotalBand | undefined {
  return record.totalBands?.find((b) => b.level === 0.8);
}

/**
 * "expected 52 messages (80%: 30–80)": the day's expected total and its 80% band, for chart
 * subtitles; the band's no-break space keeps it on one line when the subtitle wraps.
 */
export function expectedTotalText(record: ForecastRecord, unit: string): string {
  const band = totalBand80(record);
  const whole = (v: number) => Math.round(v).toLocaleString("en-US");
  return `expected ${whole(record.expectedTotal)} ${unit}${band ? ` (80%:\u00a0${whole(band.lower)}–${whole(band.upper)})` : ""}`;
}

const fixed = (v: number | null) => (v === null ? "" : String(Math.round(v * 10_000) / 10_000));

export function forecastCsv(record: ForecastRecord): string {
  const lines = ["hour_start_utc,local_hour,mean,median,q10,q50,q90,p_active,lo50,hi50,lo80,hi80,lo95,hi95"];
  for (const h of record.hours) {
    const bands = [h.band50, h.band80, h.band95].flatMap((b) => (b ? b : [null, null]));
    lines.push(
      [h.start, h.label, ...[h.mean, h.median, h.q10, h.q50, h.q90, h.pActive, ...bands].map(fixed)].join(
        ",",
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** An hour as the charts draw it: the 80% band and the chance of any event, when the model has them. */
export function chartHour(h: ForecastHour): HourForecast {
  return {
    mean: h.mean,
    median: h.median,
    ...(h.band80 ? { band: h.band80 } : {}),
    ...(h.pActive === null ? {} : { pActive: h.pActive }),
  };
}
