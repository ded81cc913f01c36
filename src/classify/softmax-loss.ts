/**
 * The multinomial logistic loss scikit-learn minimizes (LinearModelLoss with HalfMultinomialLoss):
 *   L(W, b) = Σᵢ sᵢ·(logΣₖ exp zᵢₖ − zᵢ,yᵢ) / Σᵢ sᵢ + (λ/2)·‖W‖²,   zᵢ = W·xᵢ + b,
 * with the intercept b unpenalized. Parameters are laid out feature-major, [W (F×K), b (K)], so the
 * K class weights of one feature are contiguous: one pass over the CSR rows computes each row's logits,
 * its softmax residual, and scatters the residual into the gradient while the row is in cache.
 */
import type { Csr } from "../topics/csr.js";
import type { Objective } from "./lbfgs.js";

export interface SoftmaxProblem {
  readonly X: Csr;
  readonly y: Int32Array;
  readonly nClasses: number;
  /** Per-row weights (class weights already folded in); null means all ones. */
  readonly sampleWeight: Float64Array | null;
  /** λ, the L2 strength on W. */
  readonly l2: number;
  readonly fitIntercept: boolean;
}

/** Number of parameters: K·F weights plus K intercepts when fitted. */
export function parameterCount(problem: SoftmaxProblem): number {
  return problem.nClasses * (problem.X.cols + (problem.fitIntercept ? 1 : 0));
}

/** The loss-and-gradient function of a problem for minimizeLbfgs. */
export function softmaxObjective(problem: SoftmaxProblem): Objective {
  const K = problem.nClasses;
  const weightCount = problem.X.cols * K;
  const buffers: RowBuffers = {
    z: new Float64Array(K),
    zeroBias: new Float64Array(K),
    biasGradient: new Float64Array(K),
  };
  let weightSum = 0;
  if (problem.sampleWeight === null) weightSum = problem.X.rows;
  else for (let i = 0; i < problem.X.rows; i++) weightSum += problem.sampleWeight[i]!;
  return (params, gradient) => {
    const bias = problem.fitIntercept ? params.subarray(weightCount, weightCount + K) : buffers.zeroBias;
    gradient.fill(0);
    const loss = dataLoss(problem, weightSum, params, bias, gradient, buffers);
    if (problem.fitIntercept) gradient.set(buffers.biasGradient, weightCount);
    let squaredNorm = 0;
    for (let t = 0; t < weightCount; t++) {
      const w = params[t]!;
      squaredNorm += w * w;
      gradient[t]! += problem.l2 * w;
    }
    return loss + 0.5 * problem.l2 * squaredNorm;
  };
}

interface RowBuffers {
  /** One row's logits, then its residuals. */
  z: Float64Array;
  zeroBias: Float64Array;
  biasGradient: Float64Array;
}

/** The mean weighted cross-entropy; adds its gradient to the weight part of `gradient` and to biasGradient. */
function dataLoss(
  problem: SoftmaxProblem,
  weightSum: number,
  params: Float64Array,
  bias: Float64Array,
  gradient: Float64Array,
  { z, biasGradient }: RowBuffers,
): number {
  const { X, y, nClasses: K, sampleWeight } = problem;
  const { rows, indptr, indices, data } = X;
  biasGradient.fill(0);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const rowWeight = sampleWeight === null ? 1 : sampleWeight[i]!;
    if (rowWeight === 0) continue;
    const start = indptr[i]!;
    const end = indptr[i + 1]!;
    rowLogits(params, indices, data, start, end, K, z);

    // Stable log-sum-exp; z becomes the residual sᵢ·(pᵢ − onehot(yᵢ)) / Σs.
    const label = y[i]!;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const logit = z[k]! + bias[k]!;
      z[k] = logit;
      if (logit > max) max = logit;
    }
    const trueLogit = z[label]!;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(z[k]! - max);
      z[k] = e;
      sum += e;
    }
    loss += rowWeight * (max + Math.log(sum) - trueLogit);
    const share = rowWeight / weightSum;
    const scale = share / sum;
    for (let k = 0; k < K; k++) {
      const r = z[k]! * scale;
      z[k] = r;
      biasGradient[k]! += r;
    }
    z[label]! -= share;
    biasGradient[label]! -= share;

    scatterResidual(gradient, indices, data, start, end, K, z);
  }
  return loss / weightSum;
}

// The per-row kernels walk the row's non-zeros once per block of 8 (then 4, then 1) classes, holding the
// block's sums in locals: V8 keeps those in registers, where a typed-array accumulator would be
// loaded and stored for every non-zero (twice as slow on the tickets).

/** z[k] = Σₚ data[p]·W[indices[p]·K + k] over the non-zeros start..end, for every class k. */
function rowLogits(
  W: Float64Array,
  indices: Int32Array,
  data: Float64Array,
  start: number,
  end: number,
  K: number,
  z: Float64Array,
): void {
  let k = 0;
  for (; k + 8 <= K; k += 8) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let p = start; p < end; p++) {
      const b = indices[p]! * K + k;
      const v = data[p]!;
      a0 += v * W[b]!;
      a1 += v * W[b + 1]!;
      a2 += v * W[b + 2]!;
      a3 += v * W[b + 3]!;
      a4 += v * W[b + 4]!;
      a5 += v * W[b + 5]!;
      a6 += v * W[b + 6]!;
      a7 += v * W[b + 7]!;
    }
    z[k] = a0;
    z[k + 1] = a1;
    z[k + 2] = a2;
    z[k + 3] = a3;
    z[k + 4] = a4;
    z[k + 5] = a5;
    z[k + 6] = a6;
    z[k + 7] = a7;
  }
  for (; k + 4 <= K; k += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let p = start; p < end; p++) {
      const b = indices[p]! * K + k;
      const v = data[p]!;
      a0 += v * W[b]!;
      a1 += v * W[b + 1]!;
      a2 += v * W[b + 2]!;
      a3 += v * W[b + 3]!;
    }
    z[k] = a0;
    z[k + 1] = a1;
    z[k + 2] = a2;
    z[k + 3] = a3;
  }
  for (; k < K; k++) {
    let a = 0;
    for (let p = start; p < end; p++) a += data[p]! * W[indices[p]! * K + k]!;
    z[k] = a;
  }
}

/** G[indices[p]·K + k] += data[p]·r[k] over the non-zeros start..end, for every class k. */
function scatterResidual(
  G: Float64Array,
  indices: Int32Array,
  data: Float64Array,
  start: number,
  end: number,
  K: number,
  r: Float64Array,
): void {
  let k = 0;
  for (; k + 8 <= K; k += 8) {
    const r0 = r[k]!;
    const r1 = r[k + 1]!;
    const r2 = r[k + 2]!;
    const r3 = r[k + 3]!;
    const r4 = r[k + 4]!;
    const r5 = r[k + 5]!;
    const r6 = r[k + 6]!;
    const r7 = r[k + 7]!;
    for (let p = start; p < end; p++) {
      const b = indices[p]! * K + k;
      const v = data[p]!;
      G[b]! += v * r0;
      G[b + 1]! += v * r1;
      G[b + 2]! += v * r2;
      G[b + 3]! += v * r3;
      G[b + 4]! += v * r4;
      G[b + 5]! += v * r5;
      G[b + 6]! += v * r6;
      G[b + 7]! += v * r7;
    }
  }
  for (; k + 4 <= K; k += 4) {
    const r0 = r[k]!;
    const r1 = r[k + 1]!;
    const r2 = r[k + 2]!;
    const r3 = r[k + 3]!;
    for (let p = start; p < end; p++) {
      const b = indices[p]! * K + k;
      const v = data[p]!;
      G[b]! += v * r0;
      G[b + 1]! += v * r1;
      G[b + 2]! += v * r2;
      G[b + 3]! += v * r3;
    }
  }
  for (; k < K; k++) {
    const rk = r[k]!;
    for (let p = start; p < end; p++) G[indices[p]! * K + k]! += data[p]! * rk;
  }
}
