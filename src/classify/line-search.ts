/**
 * Moré–Thuente line search (MINPACK-2 dcsrch/dcstep), the one inside L-BFGS-B that scikit-learn's
 * lbfgs solver uses through scipy. Finds a step satisfying the strong Wolfe conditions
 *   f(stp) ≤ f(0) + ftol·stp·f'(0)   and   |f'(stp)| ≤ gtol·|f'(0)|
 * by safeguarded cubic/quadratic interpolation inside a shrinking bracket.
 */

/** Value and directional derivative of the function along the search direction at a step. */
export interface LinePoint {
  value: number;
  slope: number;
}

export interface LineSearchOptions {
  ftol: number;
  gtol: number;
  xtol: number;
  stepMin: number;
  stepMax: number;
  maxEvaluations: number;
}

export type LineSearchStatus = "converged" | "warning" | "failed";

export interface LineSearchResult {
  status: LineSearchStatus;
  step: number;
  /** Function value at `step` (the last point evaluated). */
  value: number;
  evaluations: number;
}

/** The constants L-BFGS-B passes to dcsrch. */
export const lbfgsbLineSearch: LineSearchOptions = {
  ftol: 1e-3,
  gtol: 0.9,
  xtol: 0.1,
  stepMin: 0,
  stepMax: 1e10,
  maxEvaluations: 50,
};

/**
 * Searches along a direction from a point with value `value0` and slope `slope0` (< 0).
 * `evaluate(step, out)` must fill `out` with the value and slope at `step` and leave the caller's
 * state at that step: the last evaluation is the accepted one.
 */
export function moreThuente(
  evaluate: (step: number, out: LinePoint) => void,
  value0: number,
  slope0: number,
  initialStep: number,
  options: LineSearchOptions,
): LineSearchResult {
  const { ftol, gtol, xtol, stepMin, stepMax, maxEvaluations } = options;
  if (!(slope0 < 0)) return { status: "failed", step: 0, value: value0, evaluations: 0 };
  const point: LinePoint = { value: 0, slope: 0 };
  const state: StepState = {
    stx: 0,
    fx: value0,
    dx: slope0,
    sty: 0,
    fy: value0,
    dy: slope0,
    stp: Math.min(Math.max(initialStep, stepMin), stepMax),
    bracketed: false,
  };
  const gtest = ftol * slope0;
  let stage = 1;
  let width = stepMax - stepMin;
  let width1 = width / 0.5;
  let stmin = 0;
  let stmax = state.stp + 4 * state.stp;

  for (let evaluations = 1; ; evaluations++) {
    const stp = state.stp;
    evaluate(stp, point);
    const f = point.value;
    const g = point.slope;
    const ftest = value0 + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;

    if (f <= ftest && Math.abs(g) <= gtol * -slope0) {
      return { status: "converged", step: stp, value: f, evaluations };
    }
    // Rounding, interval width and step bounds end the search without full convergence; L-BFGS-B
    // accepts such steps.
    if (
      (state.bracketed && (stp <= stmin || stp >= stmax)) ||
      (state.bracketed && stmax - stmin <= xtol * stmax) ||
      (stp === stepMax && f <= ftest && g <= gtest) ||
      (stp === stepMin && (f > ftest || g >= gtest))
    ) {
      return { status: "warning", step: stp, value: f, evaluations };
    }
    if (evaluations === maxEvaluations) return { status: "failed", step: stp, value: f, evaluations };

    if (stage === 1 && f <= state.fx && f > ftest) {
      // Work on the modified function ψ(stp) = f(stp) − f(0) − gtest·stp until a step with
      // f ≤ ftest and a nonnegative slope has been seen.
      state.fx -= state.stx * gtest;
      state.fy -= state.sty * gtest;
      state.dx -= gtest;
      state.dy -= gtest;
      takeStep(state, f - stp * gtest, g - gtest, stmin, stmax);
      state.fx += state.stx * gtest;
      state.fy += state.sty * gtest;
      state.dx += gtest;
      state.dy += gtest;
    } else {
      takeStep(state, f, g, stmin, stmax);
    }

    if (state.bracketed) {
      // Force sufficient shrinkage of the bracket by bisecting when interpolation stalls.
      if (Math.abs(state.sty - state.stx) >= 0.66 * width1) {
        state.stp = state.stx + 0.5 * (state.sty - state.stx);
      }
      width1 = width;
      width = Math.abs(state.sty - state.stx);
      stmin = Math.min(state.stx, state.sty);
      stmax = Math.max(state.stx, state.sty);
    } else {
      stmin = state.stp + 1.1 * (state.stp - state.stx);
      stmax = state.stp + 4 * (state.stp - state.stx);
    }
    state.stp = Math.min(Math.max(state.stp, stepMin), stepMax);
    if (
      (state.bracketed && (state.stp <= stmin || state.stp >= stmax)) ||
      (state.bracketed && stmax - stmin <= xtol * stmax)
    ) {
      state.stp = state.stx;
    }
  }
}

/** Best step so far (x), other bracket end (y), current trial step and whether a minimizer is bracketed. */
interface StepState {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  stp: number;
  bracketed: boolean;
}

/** dcstep: the safeguarded next trial step and the updated bracket, given f and f' at the trial step. */
function takeStep(s: StepState, fp: number, dp: number, stpmin: number, stpmax: number): void {
  const { stx, fx, dx, sty, fy, dy, stp } = s;
  const sgnd = dp * Math.sign(dx);
  let stpf: number;

  if (fp > fx) {
    // Higher value: the minimizer is bracketed; take the cubic step unless it is too far from stx.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const scale = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = scale * Math.sqrt((theta / scale) ** 2 - (dx / scale) * (dp / scale));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.bracketed = true;
  } else if (sgnd < 0) {
    // Slopes of opposite sign: bracketed; take whichever of cubic and secant steps is farther.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const scale = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = scale * Math.sqrt((theta / scale) ** 2 - (dx / scale) * (dp / scale));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.bracketed = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Same sign, decreasing slope magnitude: the cubic may not have a minimizer in the direction.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const scale = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = scale * Math.sqrt(Math.max(0, (theta / scale) ** 2 - (dx / scale) * (dp / scale)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else stpc = stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.bracketed) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (s.bracketed) {
    // Same sign, slope not decreasing: cubic step towards the other bracket end.
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const scale = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = scale * Math.sqrt((theta / scale) ** 2 - (dy / scale) * (dp / scale));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }

  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.dy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.dy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.dx = dp;
  }
  s.stp = stpf;
}
