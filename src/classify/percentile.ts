/** Quantiles as numpy.percentile computes them by default (linear interpolation between order statistics). */

/** The q-quantile (0 ≤ q ≤ 1) of values already sorted ascending. */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return sorted[below]! + fraction * (sorted[above]! - sorted[below]!);
}

/** The central `level` interval [low, high] of the values (sorts them in place). */
export function percentileInterval(values: Float64Array, level: number): [low: number, high: number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`interval level must be in (0, 1), got ${level}`);
  values.sort();
  const tail = (1 - level) / 2;
  return [sortedQuantile(values, tail), sortedQuantile(values, 1 - tail)];
}
