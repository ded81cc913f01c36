/** Forecast error measures, over aligned arrays of actuals and forecasts. */

/** The seed's symmetric MAPE: mean of 2|y−ŷ|/(|y|+|ŷ|), where 0/0 counts as 0. Range [0, 2]. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  const n = checkAligned(actual, forecast);
  let s = 0;
  for (let i = 0; i < n; i++) s += smapeTerm(actual[i]!, forecast[i]!);
  return n === 0 ? 0 : s / n;
}

export function smapeTerm(y: number, f: number): number {
  const denominator = Math.abs(y) + Math.abs(f);
  return denominator === 0 ? 0 : (2 * Math.abs(y - f)) / denominator;
}

export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  const n = checkAligned(actual, forecast);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(actual[i]! - forecast[i]!);
  return n === 0 ? 0 : s / n;
}

export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  const n = checkAligned(actual, forecast);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = actual[i]! - forecast[i]!;
    s += d * d;
  }
  return n === 0 ? 0 : Math.sqrt(s / n);
}

/**
 * Expected share of the randomized PIT of an integer count y inside [lo, hi] (Czado, Gneiting &
 * Held 2009): the PIT is uniform on [F(y−1), F(y)], so the share is the overlap length over the
 * width. A calibrated count model scores hi − lo on average, which plain interval coverage cannot
 * show for counts (a band [0, 0] covers every zero hour, so it over-covers when zeros dominate).
 */
export function pitShareInside(cdfBelow: number, cdfAt: number, lo: number, hi: number): number {
  const width = cdfAt - cdfBelow;
  if (width <= 0) return cdfAt >= lo && cdfAt <= hi ? 1 : 0;
  return Math.max(0, Math.min(cdfAt, hi) - Math.max(cdfBelow, lo)) / width;
}

function checkAligned(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`length mismatch: ${a.length} actuals vs ${b.length} values`);
  return a.length;
}
