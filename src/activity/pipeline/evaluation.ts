/** Yesterday scored: the actual hours of a day against the forecast published for it. */
import { InputError } from "../../util/errors.js";
import { intervalCoverage, mae, rmse, smape, smapeTerm } from "../metrics.js";
import type { ForecastRecord } from "./forecast-record.js";

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
    /** sMAPE term of the daily total (expected vs actual). */
    dailySmape: number;
    /** Expected minus actual total. */
    totalError: number;
    /** Share of hours inside [q10, q90]; null for point models. */
    coverage80: number | null;
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
  const coverage80 = forecast.probabilistic
    ? intervalCoverage(
        actual,
        forecast.hours.map((h) => h.q10!),
        forecast.hours.map((h) => h.q90!),
      )
    : null;
  return {
    ...base,
    model: forecast.model,
    expectedTotal: forecast.expectedTotal,
    metrics: {
      smape: smape(actual, median),
      mae: mae(actual, median),
      rmse: rmse(actual, median),
      dailySmape: smapeTerm(actualTotal, forecast.expectedTotal),
      totalError: forecast.expectedTotal - actualTotal,
      coverage80,
    },
  };
}
