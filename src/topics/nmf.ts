import { gram } from "../linalg/dense.js";
import { runSteps, type Steps } from "../util/steps.js";
import { type Csr, multiplyDense, squaredNorm } from "./csr.js";
import { initializeNmf, initSketchWidth, type NmfInit } from "./nmf-init.js";
import {
  combineGram,
  combineViolations,
  createSweepState,
  gramParts,
  sketchProducts,
  updateRow,
} from "./nmf-sweep.js";
import { defaultNmfThreads, startSweepRunner } from "./nmf-threads.js";

export interface NmfOptions {
  /** Number of topics. */
  readonly k: number;
  /** Stop when the projected-gradient violation falls to tol × the first iteration's (default 1e-4). */
  readonly tol?: number;
  /** Default 200. */
  readonly maxIter?: number;
  /** Default "nndsvda" (scikit-learn's default for k ≤ min(rows, cols)). */
  readonly init?: NmfInit;
  /** Seed of the randomized SVD sketch (or of the random init). Default 0. */
  readonly seed?: number;
  /** Regularization as scikit-learn's alpha_W / alpha_H / l1_ratio (scaled by the other dimension). */
  readonly alphaW?: number;
  readonly alphaH?: number;
  readonly l1Ratio?: number;
  /** Threads for the iterations (default min(2, cores)); the result is bit-identical for every value. */
  readonly threads?: number;
}

/** X ≈ W·H with W rows×k and H k×cols, both row-major. */
export interface NmfModel {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly w: Float64Array;
  readonly h: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * The coordinate-descent stopping criterion after each iteration: the projected-gradient violation
   * relative to the first iteration's (scikit-learn's `violation / violation_init`); it stops at ≤ tol.
   */
  readonly violations: number[];
  /** ‖X − W·H‖_F, scikit-learn's reconstruction_err_. */
  readonly reconstructionError: number;
}

/**
 * Non-negative matrix factorization minimizing the Frobenius loss by coordinate descent (HALS),
 * the algorithm of scikit-learn's NMF(solver="cd"), on the sparse X without densifying it.
 * One sweep over X per iteration does three things per row i: gathers (X·Hᵀ)ᵢ, updates Wᵢ, and
 * scatters Xᵢᵀ·Wᵢ and Wᵢᵀ·Wᵢ into the products the H update needs. The sweep runs in a fixed number
 * of parts (src/topics/nmf-sweep.ts) on up to `threads` threads. Deterministic given the seed, and
 * bit-identical for every thread count.
 */
export function fitNmf(x: Csr, options: NmfOptions): NmfModel {
  return runSteps(fitNmfSteps(x, options));
}

/** fitNmf, pausing after each iteration (src/util/steps.ts). */
export function* fitNmfSteps(x: Csr, options: NmfOptions): Steps<NmfModel> {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const tol = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 200;
  const alphaW = options.alphaW ?? 0;
  const alphaH = options.alphaH ?? alphaW;
  const l1Ratio = options.l1Ratio ?? 0;
  const penaltyW = { l1: x.cols * alphaW * l1Ratio, l2: x.cols * alphaW * (1 - l1Ratio) };
  const penaltyH = { l1: x.rows * alphaH * l1Ratio, l2: x.rows * alphaH * (1 - l1Ratio) };
  const init = options.init ?? "nndsvda";
  const state = createSweepState(x, k, penaltyW.l1, penaltyH.l1, initSketchWidth(x, k, init));
  const runner = startSweepRunner(state, options.threads ?? defaultNmfThreads());
  let violationInit = 0;
  const violations: number[] = [];
  let iterations = 0;
  let converged = false;
  let error: number;
  try {
    const start = initializeNmf(x, k, init, options.seed ?? 0, sketchProducts(state, runner.run));
    state.w.set(start.w);
    state.ht.set(start.ht);
    gramParts(state);
    for (let iter = 1; iter <= maxIter; iter++) {
      iterations = iter;
      combineGram(state.hhtParts, k, penaltyW.l2, state.hht);
      runner.run("w");
      let violation = combineViolations(state);
      combineGram(state.wtwParts, k, penaltyH.l2, state.wtw);
      runner.run("h");
      violation += combineViolations(state);
      if (iter === 1) violationInit = violation;
      violations.push(violationInit === 0 ? 0 : violation / violationInit);
      if (violationInit === 0 || violation / violationInit <= tol) {
        converged = true;
        break;
      }
      yield;
    }
    runner.run("product");
    error = errorFromProduct(x, state.xht, state.w, state.ht, k);
  } finally {
    runner.close();
  }
  const w = state.w.slice();
  const h = transposeDense(state.ht, x.cols, k);
  return {
    rows: x.rows,
    cols: x.cols,
    k,
    w,
    h,
    iterations,
    converged,
    violations,
    reconstructionError: error,
  };
}

export interface NmfTransformOptions {
  readonly tol?: number;
  readonly maxIter?: number;
  readonly alphaW?: number;
  readonly l1Ratio?: number;
}

/**
 * W for new rows with H fixed (scikit-learn's NMF.transform for solver="cd"): W starts at zero and
 * gets the same coordinate-descent updates, with the same relative-violation stopping rule.
 */
export function transformNmf(
  x: Csr,
  h: Float64Array,
  k: number,
  options: NmfTransformOptions = {},
): Float64Array {
  return runSteps(transformNmfSteps(x, h, k, options));
}

/**
 * Row updates between two pauses of transformNmfSteps: about 2^20 multiply-adds (k² per row), a
 * fraction of a millisecond, so a pause is rare next to the work and Ctrl-C is heard within one.
 */
const projectionWorkPerStep = 1 << 20;

/** transformNmf, pausing every few rows (src/util/steps.ts): the same updates in the same order. */
export function* transformNmfSteps(
  x: Csr,
  h: Float64Array,
  k: number,
  options: NmfTransformOptions = {},
): Steps<Float64Array> {
  if (h.length !== k * x.cols) throw new RangeError(`H must be ${k}×${x.cols}, got ${h.length} values`);
  const tol = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 200;
  const alphaW = options.alphaW ?? 0;
  const l1Ratio = options.l1Ratio ?? 0;
  const ht = transposeDense(h, k, x.cols);
  const hht = gram(ht, x.cols, k, new Float64Array(k * k));
  addToDiagonal(hht, k, x.cols * alphaW * (1 - l1Ratio));
  const xht = multiplyDense(x, ht, k, new Float64Array(x.rows * k));
  const l1 = x.cols * alphaW * l1Ratio;
  if (l1 !== 0) for (let i = 0; i < xht.length; i++) xht[i]! -= l1;
  const w = new Float64Array(x.rows * k);
  const gradient = new Float64Array(k);
  const rowsPerStep = Math.max(1, Math.floor(projectionWorkPerStep / (k * k)));
  let violationInit = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    let violation = 0;
    for (let from = 0; from < x.rows; from += rowsPerStep) {
      violation += updateRows(w, from, Math.min(x.rows, from + rowsPerStep), k, hht, xht, gradient);
      yield;
    }
    if (iter === 1) violationInit = violation;
    if (violationInit === 0 || violation / violationInit <= tol) break;
  }
  return w;
}

/** Rows [from, to) of one projection sweep, in a plain function: V8 optimizes its loop as before the pauses. */
function updateRows(
  w: Float64Array,
  from: number,
  to: number,
  k: number,
  hht: Float64Array,
  xht: Float64Array,
  gradient: Float64Array,
): number {
  let violation = 0;
  for (let i = from; i < to; i++) violation += updateRow(w, i * k, k, hht, xht, i * k, gradient);
  return violation;
}

/**
 * ‖X − W·H‖_F computed sparsely as √(‖X‖² − 2·tr(Wᵀ·X·Hᵀ) + tr(WᵀW·HHᵀ)), clamped at 0 like
 * scikit-learn's `_beta_divergence(..., square_root=True)`.
 */
export function reconstructionError(x: Csr, w: Float64Array, h: Float64Array, k: number): number {
  const ht = transposeDense(h, k, x.cols);
  return errorFromProduct(x, multiplyDense(x, ht, k, new Float64Array(x.rows * k)), w, ht, k);
}

/** reconstructionError given X·Hᵀ (rows×k) and Hᵀ (cols×k). */
function errorFromProduct(x: Csr, xht: Float64Array, w: Float64Array, ht: Float64Array, k: number): number {
  let cross = 0;
  for (let i = 0; i < xht.length; i++) cross += xht[i]! * w[i]!;
  const wtw = gram(w, x.rows, k, new Float64Array(k * k));
  const hht = gram(ht, x.cols, k, new Float64Array(k * k));
  let normWh = 0;
  for (let i = 0; i < k * k; i++) normWh += wtw[i]! * hht[i]!;
  const half = (squaredNorm(x) + normWh - 2 * cross) / 2;
  return Math.sqrt(Math.max(half, 0) * 2);
}

function addToDiagonal(m: Float64Array, k: number, value: number): void {
  if (value !== 0) for (let t = 0; t < k; t++) m[t * k + t]! += value;
}

/** Row-major rows×cols → its transpose, cols×rows. */
function transposeDense(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}
