/**
 * Logistic recalibration of predicted probabilities of activity (Platt 1999; Cox 1958's calibration
 * slope): logit p′ = a + b·logit p, with (a, b) maximising the Bernoulli likelihood of the observed
 * outcomes on a record of the model's own forecasts, plus a ridge of `prior` pseudo-observations'
 * weight pulling (a, b) towards the identity (0, 1): it keeps the fit finite when the record
 * separates perfectly (a chat active at exactly the same hours every day) and changes nothing
 * measurable on a long record. The intercept's score equation makes Σ p′ equal the number of active
 * hours on the record; the slope corrects probabilities that are too extreme (b < 1: profiles built
 * from a handful of weeks over-react to them) or too timid (b > 1).
 */

/** Probabilities are clamped to [ε, 1 − ε] before the logit. */
const EPSILON = 1e-4;

function logit(p: number): number {
  const c = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(c / (1 - c));
}

export interface ActivityCalibration {
  intercept: number;
  slope: number;
  apply(p: number): number;
}

export function calibrationOf(intercept: number, slope: number): ActivityCalibration {
  return { intercept, slope, apply: (p) => 1 / (1 + Math.exp(-(intercept + slope * logit(p)))) };
}

/** The identity map: what a record too short to fit leaves. */
export const UNCALIBRATED = calibrationOf(0, 1);

/** log(1 + e^η) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/**
 * Fits (a, b) by Newton's method on the penalised log-likelihood, halving a step until the likelihood
 * rises (the objective is concave, so this converges; a full Newton step alone can overshoot on a
 * record its probabilities nearly separate, e.g. hours that are never active beside hours that often
 * are), over the first `n` entries of `predicted` (probabilities) and `active` (1 if the hour had any
 * message). Records of fewer than 24 hours, or without both outcomes, are left uncalibrated.
 */
export function fitActivityCalibration(
  predicted: Float64Array,
  active: Uint8Array,
  n: number,
  prior = 1,
): ActivityCalibration {
  let ones = 0;
  for (let i = 0; i < n; i++) ones += active[i]!;
  if (n < 24 || ones === 0 || ones === n) return UNCALIBRATED;
  const x = Float64Array.from(predicted.subarray(0, n), logit);
  const objective = (a: number, b: number) => {
    let sum = -0.5 * prior * (a * a + (b - 1) * (b - 1));
    for (let i = 0; i < n; i++) {
      const eta = a + b * x[i]!;
      sum += active[i]! * eta - softplus(eta);
    }
    return sum;
  };
  let a = 0;
  let b = 1;
  let current = objective(a, b);
  for (let iteration = 0; iteration < 50; iteration++) {
    let ga = -prior * a;
    let gb = -prior * (b - 1);
    let haa = prior;
    let hab = 0;
    let hbb = prior;
    for (let i = 0; i < n; i++) {
      const q = 1 / (1 + Math.exp(-(a + b * x[i]!)));
      const residual = active[i]! - q;
      const w = q * (1 - q);
      ga += residual;
      gb += residual * x[i]!;
      haa += w;
      hab += w * x[i]!;
      hbb += w * x[i]! * x[i]!;
    }
    const det = haa * hbb - hab * hab;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let next = objective(a + da, b + db);
    while (!(next >= current) && Math.abs(da) + Math.abs(db) > 1e-12) {
      da /= 2;
      db /= 2;
      next = objective(a + da, b + db);
    }
    if (!(next >= current)) break;
    a += da;
    b += db;
    current = next;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return calibrationOf(a, b);
}
