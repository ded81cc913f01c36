/**
 * Prediction intervals and proper scores for count forecasts, computed from the predictive CDF F.
 *
 * A central interval of a count distribution cannot hold its nominal probability: the equal-tailed
 * [q(α/2), q(1−α/2)] takes each boundary value whole, so a band [0, 0] holds every empty hour once
 * P(0) ≥ 0.9, and the same band misses every active hour. The interval here is read off the
 * mid-distribution function m(k) = (F(k−1) + F(k)) / 2 (the mid-p rule): k is inside when
 * lower < m(k) < upper. With the nominal tails (α/2, 1−α/2) each boundary value is taken when more
 * than half of its probability lies inside. Because hours with a near-certain zero cover it whatever
 * the rule, the tails are then set for each forecast day (`dayTails`) so that the day's intervals
 * hold the nominal share of its probability on all hours, and the nominal share of the active hours
 * the model forecast before (conformal calibration on its own past mid-PITs, conditioned on activity).
 * An actual y is inside exactly when lower < m(y) < upper, so backtest coverage is a count of mid-PIT
 * values.
 */

/** Nominal levels of the intervals every probabilistic forecast publishes. */
export const INTERVAL_LEVELS = [0.5, 0.8, 0.95] as const;

/** Thresholds on the mid-distribution function that define the interval at one nominal level. */
export interface IntervalTails {
  level: number;
  lower: number;
  upper: number;
}

export interface PredictionInterval {
  level: number;
  lower: Float64Array;
  upper: Float64Array;
}

/** The uncalibrated mid-p tails (α/2, 1−α/2) at each level. */
export function nominalTails(levels: readonly number[] = INTERVAL_LEVELS): IntervalTails[] {
  return levels.map((level) => ({ level, lower: (1 - level) / 2, upper: (1 + level) / 2 }));
}

/** m(y) = (F(y−1) + F(y)) / 2: the mid-PIT of an observed count y. */
export function midCdf(cdf: (y: number) => number, y: number): number {
  return ((y > 0 ? cdf(y - 1) : 0) + cdf(y)) / 2;
}

/**
 * {k : lower < m(k) < upper} as [first, last]. When one value's mass straddles both thresholds
 * the set is empty and the interval is that value alone.
 */
export function intervalOf(cdf: (y: number) => number, tails: IntervalTails): [number, number] {
  let first = -1;
  let below = 0;
  for (let k = 0; k < 100_000; k++) {
    const at = cdf(k);
    const mid = (below + at) / 2;
    if (mid >= tails.upper) return first < 0 ? [k, k] : [first, k - 1];
    if (first < 0 && mid > tails.lower) first = k;
    below = at;
  }
  return [Math.max(0, first), 100_000];
}

/** The interval at every tails pair for every step of a forecast. */
export function intervalsOf(
  cdf: (step: number, y: number) => number,
  horizon: number,
  tails: readonly IntervalTails[],
): PredictionInterval[] {
  return tails.map((t) => {
    const lower = new Float64Array(horizon);
    const upper = new Float64Array(horizon);
    for (let k = 0; k < horizon; k++) [lower[k], upper[k]] = intervalOf((y) => cdf(k, y), t);
    return { level: t.level, lower, upper };
  });
}

const GRID = 100;
/**
 * Upper tails tried: the 0.01 grid above ½, then finer steps towards 1 (never 1 itself, which would
 * take every count: an unbounded band). On a sparse chat F(0) is already 0.9–0.98 in most hours, so
 * an upper tail of 0.99 is only the 50–90% point of an active hour's size: a 95% band that must reach
 * the rare bursts needs its tail in the last hundredth.
 */
const UPPER_TAILS = [
  ...Array.from({ length: GRID / 2 - 1 }, (_, j) => (GRID / 2 + 1 + j) / GRID),
  0.992,
  0.994,
  0.996,
  0.998,
  0.999,
  0.9995,
  0.9998,
  0.9999,
];
/**
 * Pseudo active hours of the forecast's own estimate that the recent active hours' share is shrunk
 * towards: a model with a short past relies on its distribution, one with months of it on the record.
 */
const RECENT_PRIOR = 20;

/**
 * The tails (on a 0.01 grid) for one forecast day at one level, minimising the larger miss of two
 * shares (ties go to the pair nearest the nominal tails):
 * - all hours: the share of the day's probability the intervals hold, under the forecast itself;
 * - active hours: the share of `recentActiveMids` (the mid-PITs of the active hours the same model
 *   forecast one day ahead before the origin) inside the tails, shrunk towards the forecast's own
 *   share of its probability of activity (Σ P(Y_t = k, k > 0) inside / Σ P(Y_t > 0)) by
 *   `RECENT_PRIOR` pseudo hours. This is split-conformal calibration conditioned on activity: where
 *   the model's sizes run too light (a sparse chat whose active hours are its rare bursts), the
 *   past active hours that fell above their bands widen today's. Without a record, the forecast's
 *   own share alone: a calibrated model then covers the nominal share of the active hours too.
 * Both use only the history before the origin, so backtest coverage stays out of sample. Each hour's
 * values up to F = 1 − 1e-4 are pooled by m(k), so a pair's mass is two binary searches.
 */
export function dayTails(
  cdf: (step: number, y: number) => number,
  horizon: number,
  level: number,
  recentActiveMids?: Float64Array,
): IntervalTails {
  const nominal = nominalTails([level])[0]!;
  const mids: number[] = [];
  const masses: number[] = [];
  const active: number[] = [];
  let activeMass = 0;
  for (let t = 0; t < horizon; t++) {
    let below = 0;
    for (let k = 0; k < 10_000 && below < 1 - 1e-4; k++) {
      const at = cdf(t, k);
      mids.push((below + at) / 2);
      masses.push(at - below);
      active.push(k > 0 ? at - below : 0);
      if (k > 0) activeMass += at - below;
      below = at;
    }
  }
  if (activeMass < 1e-9) return nominal;
  const order = Array.from(mids.keys()).sort((x, y) => mids[x]! - mids[y]!);
  const sortedMids = Float64Array.from(order, (i) => mids[i]!);
  const cumulative = (values: number[]) => {
    const c = new Float64Array(order.length + 1);
    order.forEach((i, r) => {
      c[r + 1] = c[r]! + values[i]!;
    });
    return c;
  };
  const cumAll = cumulative(masses);
  const cumActive = cumulative(active);
  // Index of the first pooled value above each grid threshold (lower: > t, upper: ≥ t).
  const above = Int32Array.from({ length: GRID + 1 }, (_, i) => countBelow(sortedMids, i / GRID, true));
  const atOrAbove = Int32Array.from(UPPER_TAILS, (u) => countBelow(sortedMids, u, false));
  const recent = recentActiveMids ?? new Float64Array(0);
  const recentAbove = Int32Array.from({ length: GRID + 1 }, (_, i) => countBelow(recent, i / GRID, true));
  const recentAtOrAbove = Int32Array.from(UPPER_TAILS, (u) => countBelow(recent, u, false));
  let best = nominal;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < GRID / 2; i++) {
    const from = above[i]!;
    for (let j = 0; j < UPPER_TAILS.length; j++) {
      const to = atOrAbove[j]!;
      const modelActive = (cumActive[to]! - cumActive[from]!) / activeMass;
      const activeShare =
        (recentAtOrAbove[j]! - recentAbove[i]! + RECENT_PRIOR * modelActive) / (recent.length + RECENT_PRIOR);
      const loss = Math.max(
        Math.abs((cumAll[to]! - cumAll[from]!) / horizon - level),
        Math.abs(activeShare - level),
      );
      const upper = UPPER_TAILS[j]!;
      const distance = Math.abs(i / GRID - nominal.lower) + Math.abs(upper - nominal.upper);
      if (loss < bestLoss - 1e-9 || (loss <= bestLoss + 1e-9 && distance < bestDistance)) {
        best = { level, lower: i / GRID, upper };
        bestLoss = Math.min(loss, bestLoss);
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** Number of values < x (or ≤ x when `inclusive`) in an ascending array. */
function countBelow(sorted: Float64Array, x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x || (inclusive && sorted[mid]! === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Continuous ranked probability score of a count y under CDF F: Σ_k (F(k) − 1{y ≤ k})², the
 * integral of the squared CDF difference (Gneiting & Raftery 2007), in messages. For a point
 * forecast it equals the absolute error; lower is better. The sum stops once F is within 1e-7 of 1
 * past y.
 */
export function crps(cdf: (y: number) => number, y: number): number {
  let s = 0;
  for (let k = 0; k < 100_000; k++) {
    const f = cdf(k);
    const d = k >= y ? 1 - f : f;
    s += d * d;
    if (k >= y && 1 - f < 1e-7) break;
  }
  return s;
}

/** Pinball (quantile) loss of forecast quantile q at level τ for actual y. */
export function pinball(y: number, q: number, level: number): number {
  return y >= q ? level * (y - q) : (1 - level) * (q - y);
}

/** An interval for a day's total count, inclusive. */
export interface TotalBand {
  level: number;
  lower: number;
  upper: number;
}

/**
 * Bands for a day's total from the record of the model's one-day-ahead daily totals before the
 * origin (split-conformal). Each past day scores s = (actual − expected) / √expected (a Pearson
 * residual: Poisson-like noise on quiet days, a level's spread on busy ones); at level L the band
 * is expected + √expected · [s₍ₗ₎, s₍ₕ₎] with l = ⌊(n+1)(1−L)/2⌋ and h = ⌈(n+1)(1+L)/2⌉ (the
 * finite-sample conformal ranks, clamped to the record), read as the integers inside. Hours within a
 * day are not independent (conversations cluster; a quiet holiday empties all of them), so summing
 * the hourly distributions would give bands far too narrow. No band without 10 days of record.
 */
export function dailyBands(
  expected: number,
  recent: { expected: Float64Array; actual: Float64Array },
  levels: readonly number[] = INTERVAL_LEVELS,
): TotalBand[] {
  const scores = Float64Array.from(
    recent.expected,
    (e, d) => (recent.actual[d]! - e) / Math.sqrt(Math.max(e, 1e-3)),
  ).sort();
  const n = scores.length;
  if (n < 10) return [];
  const scale = Math.sqrt(Math.max(expected, 1e-3));
  return levels.map((level) => {
    // 1e-9: (n+1)(1−L)/2 is often a whole number that floating point puts a hair off.
    const lo = scores[Math.max(0, Math.floor(((n + 1) * (1 - level)) / 2 + 1e-9) - 1)]!;
    const hi = scores[Math.min(n, Math.ceil(((n + 1) * (1 + level)) / 2 - 1e-9)) - 1]!;
    const lower = Math.max(0, Math.ceil(expected + scale * lo - 1e-9));
    return { level, lower, upper: Math.max(lower, Math.floor(expected + scale * hi + 1e-9)) };
  });
}
