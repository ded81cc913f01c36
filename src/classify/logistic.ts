/**
 * Multinomial logistic regression on sparse features, solving exactly the problem of scikit-learn's
 * `LogisticRegression(C, solver="lbfgs")`: mean weighted cross-entropy + ‖W‖²/(2·C·Σs), intercept
 * unpenalized, class weights multiplied into sample weights. With two classes scikit-learn fits a
 * single binomial coefficient vector v; the softmax with W₁ = −W₀ = v/2 gives the same probabilities
 * when λ is doubled, so two-class fits match scikit-learn too.
 */
import type { Csr } from "../topics/csr.js";
import { runSteps, type Steps } from "../util/steps.js";
import { minimizeLbfgsSteps } from "./lbfgs.js";
import { parameterCount, type SoftmaxProblem, softmaxObjective } from "./softmax-loss.js";

export interface LogisticOptions {
  /** Inverse regularization strength, as in scikit-learn. */
  C: number;
  maxIter: number;
  /** Stop when the largest gradient component is at most this. */
  tol: number;
  /** "balanced" (n_samples / (n_classes · count), counts weighted by sample weights), per-class weights, or none. */
  classWeight: "balanced" | readonly number[] | null;
  fitIntercept: boolean;
}

export interface LogisticModel {
  nClasses: number;
  nFeatures: number;
  /** K×F row-major: weights[k·F + j] is feature j's weight for class k. */
  weights: Float64Array;
  /** K */
  intercept: Float64Array;
}

export interface LogisticFit extends LogisticModel {
  iterations: number;
  converged: boolean;
  /** Final value of the objective. */
  loss: number;
  /** The objective after each L-BFGS iteration. */
  lossPath: number[];
}

export const defaultLogisticOptions: LogisticOptions = {
  C: 1,
  maxIter: 100,
  tol: 1e-4,
  classWeight: null,
  fitIntercept: true,
};

export function fitLogistic(
  X: Csr,
  y: Int32Array,
  nClasses: number,
  options: Partial<LogisticOptions> = {},
  sampleWeight?: Float64Array,
): LogisticFit {
  return runSteps(fitLogisticSteps(X, y, nClasses, options, sampleWeight));
}

/** fitLogistic, pausing after each L-BFGS iteration (src/util/steps.ts). */
export function* fitLogisticSteps(
  X: Csr,
  y: Int32Array,
  nClasses: number,
  options: Partial<LogisticOptions> = {},
  sampleWeight?: Float64Array,
): Steps<LogisticFit> {
  const { C, maxIter, tol, classWeight, fitIntercept } = { ...defaultLogisticOptions, ...options };
  validateInputs(X, y, nClasses, sampleWeight);
  if (!(C > 0)) throw new RangeError(`C must be positive, got ${C}`);

  const weights = rowWeights(y, nClasses, classWeight, sampleWeight);
  let weightSum = 0;
  if (weights === null) weightSum = X.rows;
  else for (let i = 0; i < weights.length; i++) weightSum += weights[i]!;
  const binomialScale = nClasses === 2 ? 2 : 1;
  const problem: SoftmaxProblem = {
    X,
    y,
    nClasses,
    sampleWeight: weights,
    l2: binomialScale / (C * weightSum),
    fitIntercept,
  };

  const params = new Float64Array(parameterCount(problem));
  const result = yield* minimizeLbfgsSteps(softmaxObjective(problem), params, { maxIter, gtol: tol });
  return {
    ...fromParameters(params, X.cols, nClasses, fitIntercept),
    iterations: result.iterations,
    converged: result.converged,
    loss: result.value,
    lossPath: result.values,
  };
}

/** The model a fit stands for, without its optimizer diagnostics: what a routing model artifact stores. */
export function logisticModel(fit: LogisticModel): LogisticModel {
  return { nClasses: fit.nClasses, nFeatures: fit.nFeatures, weights: fit.weights, intercept: fit.intercept };
}

/**
 * Per-class weights as scikit-learn's compute_class_weight gives them: "balanced" is
 * Σs / (classes present · Σs over the class); classes absent from y get 0 (they have no rows).
 */
export function classWeights(
  y: Int32Array,
  nClasses: number,
  classWeight: "balanced" | readonly number[],
  sampleWeight?: Float64Array,
): Float64Array {
  if (classWeight !== "balanced") {
    if (classWeight.length !== nClasses) {
      throw new RangeError(`classWeight has ${classWeight.length} entries for ${nClasses} classes`);
    }
    return Float64Array.from(classWeight);
  }
  const counts = new Float64Array(nClasses);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = sampleWeight === undefined ? 1 : sampleWeight[i]!;
    counts[y[i]!]! += w;
    total += w;
  }
  let present = 0;
  for (let k = 0; k < nClasses; k++) if (counts[k]! > 0) present++;
  const result = new Float64Array(nClasses);
  for (let k = 0; k < nClasses; k++) if (counts[k]! > 0) result[k] = total / (present * counts[k]!);
  return result;
}

/** Class probabilities, n×K row-major. */
export function predictProba(model: LogisticModel, X: Csr): Float64Array {
  if (X.cols !== model.nFeatures)
    throw new RangeError(`X has ${X.cols} columns, model has ${model.nFeatures}`);
  const K = model.nClasses;
  const out = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    const row = out.subarray(i * K, (i + 1) * K);
    scoreRow(model, X.indices, X.data, X.indptr[i]!, X.indptr[i + 1]!, row);
    softmaxInPlace(row);
  }
  return out;
}

/** The most probable class of each row. */
export function predictClasses(model: LogisticModel, X: Csr): Int32Array {
  const proba = predictProba(model, X);
  const K = model.nClasses;
  const out = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k]! > proba[i * K + best]!) best = k;
    out[i] = best;
  }
  return out;
}

/**
 * One sparse row's class probabilities, allocating nothing: the API's and the stream's hot path. The
 * weights are copied feature-major (F×K: [j·K + k]), so each of the row's features reads K adjacent
 * weights (one cache line) instead of K weights F apart: between two requests a server's other work
 * evicts the weights, and a ticket's ~60 features then cost one miss each instead of K. Per class,
 * the same products are summed in the same order as `predictProba`: the probabilities are bit-identical.
 */
export class RowScorer {
  readonly nClasses: number;
  readonly #byFeature: Float64Array;
  readonly #intercept: Float64Array;

  constructor(model: LogisticModel) {
    const { nClasses: K, nFeatures: F, weights } = model;
    this.nClasses = K;
    this.#intercept = Float64Array.from(model.intercept);
    this.#byFeature = new Float64Array(K * F);
    for (let k = 0; k < K; k++) for (let j = 0; j < F; j++) this.#byFeature[j * K + k] = weights[k * F + j]!;
  }

  /** The row's probabilities into `out` (length K). */
  proba(indices: ArrayLike<number>, values: ArrayLike<number>, out: Float64Array): void {
    const K = this.nClasses;
    const byFeature = this.#byFeature;
    for (let k = 0; k < K; k++) out[k] = this.#intercept[k]!;
    for (let p = 0; p < indices.length; p++) {
      const value = values[p]!;
      const at = indices[p]! * K;
      for (let k = 0; k < K; k++) out[k]! += value * byFeature[at + k]!;
    }
    softmaxInPlace(out);
  }

  /** Feature j's weight for class k: the model's own number. */
  weight(feature: number, classIndex: number): number {
    return this.#byFeature[feature * this.nClasses + classIndex]!;
  }
}

/** Logits of the non-zeros indices[start..end) into out. */
function scoreRow(
  model: LogisticModel,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  start: number,
  end: number,
  out: Float64Array,
): void {
  const { nClasses: K, nFeatures: F, weights, intercept } = model;
  for (let k = 0; k < K; k++) {
    let sum = intercept[k]!;
    const offset = k * F;
    for (let p = start; p < end; p++) sum += values[p]! * weights[offset + indices[p]!]!;
    out[k] = sum;
  }
}

function softmaxInPlace(z: Float64Array): void {
  let max = z[0]!;
  for (let k = 1; k < z.length; k++) if (z[k]! > max) max = z[k]!;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp(z[k]! - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k]! /= sum;
}

/** Sample weights × class weights, or null when every row weighs 1. */
function rowWeights(
  y: Int32Array,
  nClasses: number,
  classWeight: LogisticOptions["classWeight"],
  sampleWeight: Float64Array | undefined,
): Float64Array | null {
  if (classWeight === null) return sampleWeight ?? null;
  const perClass = classWeights(y, nClasses, classWeight, sampleWeight);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++)
    out[i] = perClass[y[i]!]! * (sampleWeight === undefined ? 1 : sampleWeight[i]!);
  return out;
}

/** Unpacks feature-major [W (F×K), b (K)] into the model's K×F layout, intercepts centred. */
function fromParameters(params: Float64Array, F: number, K: number, fitIntercept: boolean): LogisticModel {
  const weights = new Float64Array(K * F);
  for (let j = 0; j < F; j++) for (let k = 0; k < K; k++) weights[k * F + j] = params[j * K + k]!;
  const intercept = new Float64Array(K);
  if (fitIntercept) {
    // Softmax ignores a shift shared by all intercepts; centring makes the solution unique.
    let mean = 0;
    for (let k = 0; k < K; k++) mean += params[F * K + k]! / K;
    for (let k = 0; k < K; k++) intercept[k] = params[F * K + k]! - mean;
  }
  return { nClasses: K, nFeatures: F, weights, intercept };
}

function validateInputs(
  X: Csr,
  y: Int32Array,
  nClasses: number,
  sampleWeight: Float64Array | undefined,
): void {
  if (!Number.isInteger(nClasses) || nClasses < 2)
    throw new RangeError(`need at least 2 classes, got ${nClasses}`);
  if (y.length !== X.rows) throw new RangeError(`y has ${y.length} labels for ${X.rows} rows`);
  if (sampleWeight !== undefined && sampleWeight.length !== X.rows) {
    throw new RangeError(`sampleWeight has ${sampleWeight.length} entries for ${X.rows} rows`);
  }
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (label < 0 || label >= nClasses)
      throw new RangeError(`label ${label} at row ${i} is outside [0, ${nClasses})`);
  }
}
