/**
 * Negative Binomial with mean μ and size r (Var = μ + μ²/r): P(k) by the ratio recursion
 * P(k+1) = P(k)·(k+r)/(k+1)·μ/(μ+r), which needs no gamma function.
 */

/** Smallest k with P(Y ≤ k) ≥ p, for each p in ascending `levels`. */
export function nbQuantiles(mean: number, size: number, levels: readonly number[], out: Float64Array): void {
  if (mean <= 0) {
    out.fill(0, 0, levels.length);
    return;
  }
  const ratio = mean / (mean + size);
  let pk = Math.exp(size * Math.log(size / (mean + size)));
  let cdf = pk;
  let k = 0;
  for (let j = 0; j < levels.length; j++) {
    // 1e-12 slack: the summed pmf can fall a hair short of a level it reaches exactly.
    while (cdf < levels[j]! - 1e-12 && k < 100_000) {
      pk *= ((k + size) / (k + 1)) * ratio;
      k++;
      cdf += pk;
    }
    out[j] = k;
  }
}

/**
 * Log-likelihood of integer counts under NB(μᵢ, r), without the log y! terms (constant in r and μ).
 * log Γ(y+r)/Γ(r) is summed as Σ_{j<y} log(r+j): exact and cheap for the small counts of chat hours.
 */
export function nbLogLikelihood(counts: Float64Array, means: Float64Array, size: number, n: number): number {
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const y = counts[i]!;
    const mu = means[i]!;
    for (let j = 0; j < y; j++) ll += Math.log(size + j);
    ll += size * Math.log(size / (size + mu)) + y * Math.log(mu / (size + mu));
  }
  return ll;
}

/** Maximum-likelihood size on [lo, hi] by golden-section search on log r (the likelihood is unimodal in r). */
export function fitNbSize(counts: Float64Array, means: Float64Array, n: number, lo = 0.02, hi = 100): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(lo);
  let b = Math.log(hi);
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = nbLogLikelihood(counts, means, Math.exp(c), n);
  let fd = nbLogLikelihood(counts, means, Math.exp(d), n);
  for (let it = 0; it < 30; it++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = nbLogLikelihood(counts, means, Math.exp(c), n);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = nbLogLikelihood(counts, means, Math.exp(d), n);
    }
  }
  return Math.exp((a + b) / 2);
}

/**
 * P(Y ≤ y) of NB(mean, size) as a function of y, tabulated lazily as far as it is asked: interval
 * and CRPS computations walk y upwards, so each value costs O(1) amortised instead of O(y).
 */
export function nbCdfTable(mean: number, size: number): (y: number) => number {
  if (mean <= 0) return (y) => (y < 0 ? 0 : 1);
  const ratio = mean / (mean + size);
  let pk = Math.exp(size * Math.log(size / (mean + size)));
  const table = [Math.min(1, pk)];
  let cdf = pk;
  return (y) => {
    if (y < 0) return 0;
    while (table.length <= y && table.length < 100_000) {
      const k = table.length - 1;
      pk *= ((k + size) / (k + 1)) * ratio;
      cdf += pk;
      table.push(Math.min(1, cdf));
    }
    return table[Math.min(y, table.length - 1)]!;
  };
}
