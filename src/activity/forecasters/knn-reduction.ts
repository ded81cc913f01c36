/**
 * The seed's forecaster, reproduced: sktime `make_reduction(KNeighborsRegressor(n_neighbors=1),
 * window_length=168, strategy="recursive")`. Training pairs are every window of `window` lags →
 * the next value; a forecast finds the nearest training window (Euclidean; on ties the first in
 * training order, as scikit-learn's brute-force search) to the last `window` values, emits its
 * successor, appends it and repeats.
 *
 * Speed: the distance from query k to window i equals the distance from query k-1 to window i-1
 * minus the pair that left plus the pair that entered, so after the first step each step costs
 * O(windows) instead of O(windows · lags). On integer counts every term is an exact integer in
 * float64, so the update is exact and ties resolve exactly like a full recomputation; for
 * non-integer data each step is recomputed in full instead.
 */
import { type Forecaster, pointForecast } from "./types.js";

export interface KnnReductionOptions {
  /** Number of lags (the seed: 168, one week). */
  window?: number;
}

export function knnReduction({ window = 168 }: KnnReductionOptions = {}): Forecaster {
  if (!Number.isInteger(window) || window < 1) throw new RangeError("window must be a positive integer");
  return {
    name: `knn1-recursive-${window}`,
    fit(history) {
      if (history.length <= window) {
        throw new RangeError(
          `kNN reduction needs more than ${window} hours of history, got ${history.length}`,
        );
      }
      const y = Float64Array.from(history);
      const exact = isSmallIntegerSeries(y);
      return { forecast: (horizon = 24) => pointForecast(recursiveForecast(y, window, horizon, exact)) };
    },
  };
}

function isSmallIntegerSeries(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || Math.abs(v) > 1 << 20) return false;
  }
  return true;
}

/** Squared distance between z[q..q+w) and y[i..i+w). */
function sqDistance(z: Float64Array, q: number, y: Float64Array, i: number, w: number): number {
  let s = 0;
  for (let j = 0; j < w; j++) {
    const d = z[q + j]! - y[i + j]!;
    s += d * d;
  }
  return s;
}

/** First index of the minimum (scikit-learn's tie order). */
function argminFirst(d: Float64Array): number {
  let best = 0;
  let bestValue = d[0]!;
  for (let i = 1; i < d.length; i++) {
    if (d[i]! < bestValue) {
      bestValue = d[i]!;
      best = i;
    }
  }
  return best;
}

function recursiveForecast(y: Float64Array, w: number, horizon: number, exact: boolean): Float64Array {
  const n = y.length;
  const m = n - w; // training windows: y[i..i+w) → y[i+w], i in [0, m)
  const z = new Float64Array(n + horizon);
  z.set(y);
  const dist = new Float64Array(m);
  for (let k = 0; k < horizon; k++) {
    const q = n - w + k; // query z[q..q+w)
    if (k === 0 || !exact) {
      for (let i = 0; i < m; i++) dist[i] = sqDistance(z, q, y, i, w);
    } else {
      const left = z[q - 1]!;
      const entered = z[q + w - 1]!;
      for (let i = m - 1; i >= 1; i--) {
        const a = left - y[i - 1]!;
        const b = entered - y[i + w - 1]!;
        dist[i] = dist[i - 1]! - a * a + b * b;
      }
      dist[0] = sqDistance(z, q, y, 0, w);
    }
    z[n + k] = y[argminFirst(dist) + w]!;
  }
  return z.slice(n);
}
