/** The two tail probabilities McNemar's test needs, to full double precision. */

/**
 * Two-sided exact p-value of k successes in n fair-coin trials: 2·P(X ≤ min(k, n−k)), capped at 1
 * (the binomial test scipy.stats.binomtest(k, n, 0.5) gives for the symmetric case).
 */
export function binomialTwoSidedHalf(k: number, n: number): number {
  if (n === 0) return 1;
  const low = Math.min(k, n - k);
  // Sum C(n, i)/2ⁿ in log space so large n neither overflows nor underflows term by term.
  const logHalfPower = -n * Math.LN2;
  let logChoose = 0;
  let tail = 0;
  for (let i = 0; i <= low; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logChoose + logHalfPower);
  }
  return Math.min(1, 2 * tail);
}

/** P(χ²₁ > x): the upper tail of a chi-square with one degree of freedom, Q(1/2, x/2). */
export function chiSquare1Survival(x: number): number {
  if (x <= 0) return 1;
  return upperGammaHalf(x / 2);
}

const logGammaHalf = 0.5 * Math.log(Math.PI);
const tiny = 1e-300;

/** Regularized upper incomplete gamma Q(1/2, x): series below x = 1.5, continued fraction above. */
function upperGammaHalf(x: number): number {
  const a = 0.5;
  const prefactor = Math.exp(-x + a * Math.log(x) - logGammaHalf);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * Number.EPSILON) break;
    }
    return 1 - sum * prefactor;
  }
  // Modified Lentz evaluation of the continued fraction for Γ(a, x).
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < Number.EPSILON) break;
  }
  return prefactor * h;
}
