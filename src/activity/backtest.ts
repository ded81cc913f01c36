/**
 * Rolling-origin backtest: for each of the last N days, every model is fitted on the hours before
 * that day's first hour (never on the day itself: no leakage) and forecasts the day's hours. Scores
 * pool all hours (sMAPE, MAE, RMSE on the median, the hourly point forecast; RMSE also on the
 * mean, whose optimum it is; CRPS and pinball loss on the predictive distribution; interval
 * coverage on all hours and on the active ones) and all days (sMAPE of the daily total, using the
 * sum of means, the expected total).
 */
import type { Forecaster } from "./forecasters/types.js";
import { crps, dailyBands, dayTails, INTERVAL_LEVELS, midCdf, pinball } from "./intervals.js";
import { mae, pitShareInside, rmse, smape } from "./metrics.js";

export type SelectionMetric = "rmse" | "rmseMean" | "mae" | "smape" | "dailySmape" | "crps";

export interface BacktestOptions {
  /** Days scored, counted back from the end of the series (default 365). */
  days?: number;
  /**
   * Bucket index of each day's start plus a final entry for the end, e.g. `HourlySeries.dayStarts`
   * (days of 23 or 25 hours at DST changes). Default: 24-hour days counted back from the end.
   */
  dayStarts?: Int32Array;
  /**
   * Metric that picks the model (lower wins). Default CRPS, the metric every forecast is scored on
   * whole: it is proper for the predictive distribution (and a point forecast's CRPS is its absolute
   * error, so point and probabilistic models compare on one scale), and it does not reward the
   * all-zeros forecast as sMAPE does on intermittent series (0/0 = 0 on every empty hour). RMSE
   * (`rmse`) scores the median, the point that minimises absolute error, with a loss whose optimum
   * is the mean, so the better calibrated a model's median, the more it can lose by it.
   */
  selectBy?: SelectionMetric;
}

export interface ModelScore {
  model: string;
  smape: number;
  mae: number;
  rmse: number;
  /** RMSE of the mean (the expected count). */
  rmseMean: number;
  dailySmape: number;
  /** Mean CRPS per hour (messages); a point forecast's CRPS is its absolute error. */
  crps: number;
  /** Mean pinball loss over the published quantiles and hours (probabilistic models only). */
  pinball?: number;
  /** Share of hours inside the model's 50/80/95% intervals (probabilistic models only) … */
  coverage50?: number;
  coverage80?: number;
  coverage95?: number;
  /** … and of the active hours (count > 0) inside them. */
  activeCoverage50?: number;
  activeCoverage80?: number;
  activeCoverage95?: number;
  /**
   * Share of days whose total lies inside the 50/80/95% daily-total bands, over the days that had
   * bands (a model's record needs 10 days past its first week); absent when none had.
   */
  dailyCoverage50?: number;
  dailyCoverage80?: number;
  dailyCoverage95?: number;
  /** Randomized-PIT share inside [0.1, 0.9]: ≈ 0.8 when the predictive distribution is calibrated. */
  pitCoverage80?: number;
  days: number;
  hours: number;
  /** Wall time of all fits and forecasts. */
  seconds: number;
}

export interface BacktestResult {
  scores: ModelScore[];
  selectBy: SelectionMetric;
  chosen: string;
}

export function backtest(
  series: Float64Array,
  models: Forecaster[],
  options: BacktestOptions = {},
): BacktestResult {
  const { days = 365, selectBy = "crps" } = options;
  const dayStarts = options.dayStarts ?? trailingDays(series.length, days);
  const available = dayStarts.length - 1;
  if (days < 1 || days > available)
    throw new RangeError(`backtest of ${days} days but the series has ${available}`);
  if (dayStarts[available] !== series.length) throw new RangeError("dayStarts must end at the series length");
  const firstDay = available - days;
  const hours = dayStarts[available]! - dayStarts[firstDay]!;
  const actual = series.subarray(dayStarts[firstDay]!);

  const scores = models.map((model) => scoreModel(series, model, dayStarts, firstDay, hours, actual));
  const chosen = scores.reduce((best, s) => (s[selectBy] < best[selectBy] ? s : best)).model;
  return { scores, selectBy, chosen };
}

function scoreModel(
  series: Float64Array,
  model: Forecaster,
  dayStarts: Int32Array,
  firstDay: number,
  hours: number,
  actual: Float64Array,
): ModelScore {
  const days = dayStarts.length - 1 - firstDay;
  const median = new Float64Array(hours);
  const mean = new Float64Array(hours);
  const dailyActual = new Float64Array(days);
  const dailyExpected = new Float64Array(days);
  const inside = new Float64Array(INTERVAL_LEVELS.length);
  const activeInside = new Float64Array(INTERVAL_LEVELS.length);
  const dailyInside = new Float64Array(INTERVAL_LEVELS.length);
  let bandedDays = 0;
  let activeHours = 0;
  let probabilistic = true;
  let pitInside = 0;
  let crpsSum = 0;
  let pinballSum = 0;
  let pinballTerms = 0;
  const began = performance.now();
  for (let d = 0; d < days; d++) {
    const from = dayStarts[firstDay + d]!;
    const to = dayStarts[firstDay + d + 1]!;
    const forecast = model.fit(series.subarray(0, from)).forecast(to - from);
    const offset = from - dayStarts[firstDay]!;
    median.set(forecast.median, offset);
    mean.set(forecast.mean, offset);
    const cdf = forecast.cdf;
    if (!cdf) probabilistic = false;
    const tails = cdf
      ? INTERVAL_LEVELS.map((level) => dayTails(cdf, to - from, level, forecast.recentActiveMids))
      : [];
    let expected = 0;
    let observed = 0;
    for (let k = 0; k < to - from; k++) {
      expected += forecast.mean[k]!;
      const y = series[from + k]!;
      observed += y;
      if (!probabilistic || !cdf) {
        crpsSum += Math.abs(y - forecast.median[k]!);
        continue;
      }
      const at = (v: number) => cdf(k, v);
      crpsSum += crps(at, y);
      const mid = midCdf(at, y);
      if (y > 0) activeHours++;
      tails.forEach((t, i) => {
        if (mid > t.lower && mid < t.upper) {
          inside[i]! += 1;
          if (y > 0) activeInside[i]! += 1;
        }
      });
      pitInside += pitShareInside(y > 0 ? cdf(k, y - 1) : 0, cdf(k, y), 0.1, 0.9);
      for (const q of forecast.quantiles) pinballSum += pinball(y, q.values[k]!, q.q);
      pinballTerms += forecast.quantiles.length;
    }
    dailyActual[d] = observed;
    dailyExpected[d] = expected;
    const bands = forecast.recentDays ? dailyBands(expected, forecast.recentDays) : [];
    if (bands.length > 0) bandedDays++;
    bands.forEach((b, i) => {
      if (observed >= b.lower && observed <= b.upper) dailyInside[i]! += 1;
    });
  }
  const seconds = (performance.now() - began) / 1000;
  const score: ModelScore = {
    model: model.name,
    smape: smape(actual, median),
    mae: mae(actual, median),
    rmse: rmse(actual, median),
    rmseMean: rmse(actual, mean),
    dailySmape: smape(dailyActual, dailyExpected),
    crps: crpsSum / hours,
    days,
    hours,
    seconds,
  };
  if (!probabilistic) return score;
  score.pinball = pinballSum / pinballTerms;
  score.pitCoverage80 = pitInside / hours;
  INTERVAL_LEVELS.forEach((level, i) => {
    const pct = Math.round(level * 100) as 50 | 80 | 95;
    score[`coverage${pct}`] = inside[i]! / hours;
    score[`activeCoverage${pct}`] = activeHours === 0 ? 1 : activeInside[i]! / activeHours;
    if (bandedDays > 0) score[`dailyCoverage${pct}`] = dailyInside[i]! / bandedDays;
  });
  return score;
}

function trailingDays(length: number, days: number): Int32Array {
  const count = Math.min(days, Math.floor(length / 24));
  const starts = new Int32Array(count + 1);
  for (let d = 0; d <= count; d++) starts[d] = length - 24 * (count - d);
  return starts;
}
