/** The contract every activity forecaster implements. */

export interface QuantileSeries {
  /** Probability level in (0, 1). */
  q: number;
  values: Float64Array;
}

export interface Forecast {
  /** Expected count per step; its sum is the expected total over the horizon. */
  mean: Float64Array;
  /** The hourly point forecast. Point models set it equal to `mean`. */
  median: Float64Array;
  /** Predictive quantiles (sorted by q); empty for point models. */
  quantiles: QuantileSeries[];
  /**
   * Predictive CDF P(Y_step <= y) for integer y, when the model has a distribution. Used for the
   * discrete-aware calibration score (randomized PIT), which interval coverage alone cannot give
   * for counts.
   */
  cdf?: (step: number, y: number) => number;
  /**
   * Mid-PITs (ascending) of the active hours among the model's own one-day-ahead forecasts of the
   * days before the origin: out-of-sample evidence of how its bands hold activity (see dayTails).
   */
  recentActiveMids?: Float64Array;
  /**
   * The expected and actual totals of the model's own one-day-ahead forecasts of the last days
   * before the origin: the record the daily-total bands are read off (see `dailyBands`).
   */
  recentDays?: { expected: Float64Array; actual: Float64Array };
}

export interface FittedForecaster {
  forecast(horizon?: number): Forecast;
}

export interface Forecaster {
  readonly name: string;
  /** `history`: hourly counts up to the forecast origin (the model must not keep a reference it mutates). */
  fit(history: Float64Array): FittedForecaster;
}

/** A point forecast wrapped as a Forecast. */
export function pointForecast(values: Float64Array): Forecast {
  return { mean: values, median: values, quantiles: [] };
}
