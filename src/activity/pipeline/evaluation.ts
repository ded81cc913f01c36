/** Yesterday scored: the actual hours of a day against the forecast published for it. */
import { InputError } from "../../util/errors.js";
import { mae, rmse, smape, smapeTerm } from "../metrics.js";
import { type ForecastRecord, totalBand80 } from "./forecast-record.js";

export interface DayEvaluation {
  chat: string;
  zone: string;
  /** The local day scored (the day before the logical date). */
  day: string;
  /** Null when no forecast was published for the day (e.g. the pipeline's first day). */
  model: string | null;
  hours: number;
  actualTotal: number;
  /** Sum of the forecast means; null without a forecast. */
  expectedTotal: number | null;
  metrics: {
    smape: number;
    mae: number;
    rmse: number;
    /** RMSE of the hourly means (expected counts). */
    rmseMean: number;
    /** sMAPE term of the daily total (expected vs actual). */
    dailySmape: number;
    /** Expected minus actual total. */
    totalError: number;
    /** Share of hours inside the published 50/80/95% intervals; null for point models. */
    coverage50: number | null;
    coverage80: number | null;
    coverage95: number | null;
    /** Share of the active hours (count > 0) inside the 80% interval; null for point models or a silent day. */
    activeCoverage80: number | null;
    /** Whether the actual total lies in the forecast's 80% daily-total band; null without one. */
    totalInside80: boolean | null;
  } | null;
}

export function evaluateDay(
  meta: { chat: string; zone: string; day: string },
  actual: Float64Array,
  forecast: ForecastRecord | null,
): DayEvaluation {
  let actualTotal = 0;
  for (const v of actual) actualTotal += v;
  const base = { ...meta, hours: actual.length, actualTotal };
  if (!forecast) return { ...base, model: null, expectedTotal: null, metrics: null };
  if (forecast.hours.length !== actual.length) {
    throw new InputError(
      `forecast for ${meta.day} has ${forecast.hours.length} hours but the day has ${actual.length}`,
    );
  }
  const median = Float64Array.from(forecast.hours, (h) => h.median);
  const mean = Float64Array.from(forecast.hours, (h) => h.mean);
  const coverage = (band: "band50" | "band80" | "band95", onlyActive = false) => {
    if (!forecast.probabilistic) return null;
    const hours = forecast.hours.flatMap((h, k) =>
      onlyActive && actual[k]! === 0 ? [] : [{ y: actual[k]!, b: h[band]! }],
    );
    if (hours.length === 0) return null;
    return hours.filter(({ y, b }) => y >= b[0] && y <= b[1]).length / hours.length;
  };
  const total80 = totalBand80(forecast);
  return {
    ...base,
    model: forecast.model,
    expectedTotal: forecast.expectedTotal,
    metrics: {
      smape: smape(actual, median),
      mae: mae(actual, median),
      rmse: rmse(actual, median),
      rmseMean: rmse(actual, mean),
      dailySmape: smapeTerm(actualTotal, forecast.expectedTotal),
      totalError: forecast.expectedTotal - actualTotal,
      coverage50: coverage("band50"),
      coverage80: coverage("band80"),
      coverage95: coverage("band95"),
      activeCoverage80: coverage("band80", true),
      totalInside80: total80 ? actualTotal >= total80.lower && actualTotal <= total80.upper : null,
    },
  };
}
