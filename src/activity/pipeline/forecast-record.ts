/** A day's forecast as the `forecast` step publishes it (JSON and CSV). */
import type { Forecast } from "../forecasters/types.js";

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
  probabilistic: boolean;
}

export function forecastRecord(
  meta: { chat: string; zone: string; date: string; model: string },
  start: number,
  labels: readonly string[],
  forecast: Forecast,
): ForecastRecord {
  const quantile = (q: number) => forecast.quantiles.find((s) => s.q === q)?.values;
  const [q10, q50, q90] = [quantile(0.1), quantile(0.5), quantile(0.9)];
  const probabilistic = q10 !== undefined && q50 !== undefined && q90 !== undefined;
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
    };
  });
  return { ...meta, origin: new Date(start * 1000).toISOString(), hours, expectedTotal, probabilistic };
}

const fixed = (v: number | null) => (v === null ? "" : String(Math.round(v * 10_000) / 10_000));

export function forecastCsv(record: ForecastRecord): string {
  const lines = ["hour_start_utc,local_hour,mean,median,q10,q50,q90"];
  for (const h of record.hours) {
    lines.push(
      [h.start, h.label, fixed(h.mean), fixed(h.median), fixed(h.q10), fixed(h.q50), fixed(h.q90)].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
