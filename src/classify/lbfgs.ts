/**
 * Limited-memory BFGS for smooth unconstrained minimization, following L-BFGS-B as scipy runs it
 * for scikit-learn (unbounded case): two-loop recursion with initial scaling sᵀy/yᵀy, Moré–Thuente
 * line search, first step 1/‖g‖, curvature-skipping updates, restart from steepest descent when a
 * line search fails, and the same stopping tests (‖g‖∞ ≤ gtol, or relative decrease of f ≤ ftol).
 */
import { runSteps, type Steps } from "../util/steps.js";
import { type LinePoint, lbfgsbLineSearch, moreThuente } from "./line-search.js";

/** Writes the gradient at `x` into `gradient` and returns the value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (scipy's maxcor). */
  memory: number;
  maxIter: number;
  /** Stop when the largest gradient component is at most this (scipy's gtol). */
  gtol: number;
  /** Stop when (f_old − f)/max(|f_old|, |f|, 1) is at most this (scipy's ftol). */
  ftol: number;
  /** Function evaluations allowed per line search (scipy's maxls). */
  maxLineSearch: number;
}

export interface LbfgsResult {
  value: number;
  /** The objective after each iteration (values[0] after the first), for convergence curves. */
  values: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why the iterations ended. */
  reason: "gradient" | "relative-decrease" | "max-iterations" | "line-search";
}

/** scikit-learn's lbfgs settings apart from maxIter and gtol (which come from max_iter and tol). */
export const sklearnLbfgsDefaults: LbfgsOptions = {
  memory: 10,
  maxIter: 100,
  gtol: 1e-4,
  ftol: 64 * Number.EPSILON,
  maxLineSearch: 50,
};

/** Minimizes `objective` starting from `x`, which is overwritten with the solution. */
export function minimizeLbfgs(
  objective: Objective,
  x: Float64Array,
  options: Partial<LbfgsOptions> = {},
): LbfgsResult {
  return runSteps(minimizeLbfgsSteps(objective, x, options));
}

/** minimizeLbfgs, pausing after each iteration (src/util/steps.ts): train's fit stops there on a signal. */
export function* minimizeLbfgsSteps(
  objective: Objective,
  x: Float64Array,
  options: Partial<LbfgsOptions> = {},
): Steps<LbfgsResult> {
  const { memory, maxIter, gtol, ftol, maxLineSearch } = { ...sklearnLbfgsDefaults, ...options };
  const n = x.length;
  const g = new Float64Array(n);
  const xOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  const d = new Float64Array(n);
  const s = Array.from({ length: memory }, () => new Float64Array(n));
  const y = Array.from({ length: memory }, () => new Float64Array(n));
  const rho = new Float64Array(memory);
  const alpha = new Float64Array(memory);
  let stored = 0;
  let newest = -1;
  let gamma = 1;

  let f = objective(x, g);
  let evaluations = 1;
  const values: number[] = [];
  if (maxAbs(g) <= gtol)
    return { value: f, values, iterations: 0, evaluations, converged: true, reason: "gradient" };

  const lineOptions = { ...lbfgsbLineSearch, maxEvaluations: maxLineSearch };
  // The line search moves x to xOld + step·d and evaluates there.
  const evaluateAt = (step: number, out: LinePoint) => {
    for (let i = 0; i < n; i++) x[i] = xOld[i]! + step * d[i]!;
    out.value = objective(x, g);
    out.slope = dot(g, d);
    evaluations++;
  };

  for (let iteration = 1; ; iteration++) {
    twoLoopDirection(g, s, y, rho, alpha, stored, newest, gamma, d);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in the memory): fall back to steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    xOld.set(x);
    gOld.set(g);
    const fOld = f;
    const initialStep = stored === 0 ? 1 / Math.sqrt(-slope) : 1;
    const search = moreThuente(evaluateAt, fOld, slope, initialStep, lineOptions);
    if (search.status === "failed") {
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      // Already steepest descent: nothing left to try. Otherwise redo this iteration without memory.
      if (stored === 0)
        return {
          value: f,
          values,
          iterations: iteration - 1,
          evaluations,
          converged: false,
          reason: "line-search",
        };
      stored = 0;
      iteration--;
      continue;
    }
    // The accepted step was the last one evaluated, so x and g are already there.
    f = search.value;
    values.push(f);

    // New correction pair s = x − xOld, y = g − gOld, kept only with enough positive curvature.
    const slot = (newest + 1) % memory;
    const sNew = s[slot]!;
    const yNew = y[slot]!;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const si = x[i]! - xOld[i]!;
      const yi = g[i]! - gOld[i]!;
      sNew[i] = si;
      yNew[i] = yi;
      sy += si * yi;
      yy += yi * yi;
    }
    if (sy > Number.EPSILON * search.step * -slope) {
      rho[slot] = 1 / sy;
      gamma = sy / yy;
      newest = slot;
      stored = Math.min(stored + 1, memory);
    }

    if (maxAbs(g) <= gtol)
      return { value: f, values, iterations: iteration, evaluations, converged: true, reason: "gradient" };
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      return {
        value: f,
        values,
        iterations: iteration,
        evaluations,
        converged: true,
        reason: "relative-decrease",
      };
    }
    if (iteration >= maxIter)
      return {
        value: f,
        values,
        iterations: iteration,
        evaluations,
        converged: false,
        reason: "max-iterations",
      };
    yield;
  }
}

/**
 * d = −H·g with the limited-memory inverse Hessian H built from the stored pairs (newest last).
 * Each update of d is fused with the dot product the next step needs, so d is swept 2m + 1 times.
 */
function twoLoopDirection(
  g: Float64Array,
  s: Float64Array[],
  y: Float64Array[],
  rho: Float64Array,
  alpha: Float64Array,
  stored: number,
  newest: number,
  gamma: number,
  d: Float64Array,
): void {
  const n = g.length;
  const memory = s.length;
  const slotAt = (back: number) => (newest - back + memory) % memory;
  if (stored === 0) {
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    return;
  }
  const first = s[slotAt(0)]!;
  let product = 0;
  for (let i = 0; i < n; i++) {
    d[i] = -g[i]!;
    product += first[i]! * d[i]!;
  }
  // Newest to oldest: αᵢ = ρᵢ·sᵢᵀd, d −= αᵢ·yᵢ; the last update also applies the initial scaling γ.
  for (let back = 0; back < stored; back++) {
    const slot = slotAt(back);
    const a = rho[slot]! * product;
    alpha[slot] = a;
    if (back + 1 < stored) product = axpyDot(-a, y[slot]!, d, s[slotAt(back + 1)]!);
    else product = axpyScaleDot(-a, y[slot]!, gamma, d, y[slotAt(stored - 1)]!);
  }
  // Oldest to newest: βᵢ = ρᵢ·yᵢᵀd, d += (αᵢ − βᵢ)·sᵢ.
  for (let back = stored - 1; back >= 0; back--) {
    const slot = slotAt(back);
    const coefficient = alpha[slot]! - rho[slot]! * product;
    if (back > 0) product = axpyDot(coefficient, s[slot]!, d, y[slotAt(back - 1)]!);
    else axpy(coefficient, s[slot]!, d);
  }
}

/** d += a·x */
function axpy(a: number, x: Float64Array, d: Float64Array): void {
  for (let i = 0; i < d.length; i++) d[i]! += a * x[i]!;
}

/** d += a·x, then returns nextᵀd, in one sweep. */
function axpyDot(a: number, x: Float64Array, d: Float64Array, next: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]! + a * x[i]!;
    d[i] = v;
    sum += next[i]! * v;
  }
  return sum;
}

/** d = (d + a·x)·scale, then returns nextᵀd, in one sweep. */
function axpyScaleDot(
  a: number,
  x: Float64Array,
  scale: number,
  d: Float64Array,
  next: Float64Array,
): number {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    const v = (d[i]! + a * x[i]!) * scale;
    d[i] = v;
    sum += next[i]! * v;
  }
  return sum;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
