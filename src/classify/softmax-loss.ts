/**
 * The multinomial logistic loss scikit-learn minimizes (LinearModelLoss with HalfMultinomialLoss):
 *   L(W, b) = Σᵢ sᵢ·(logΣₖ exp zᵢₖ − zᵢ,yᵢ) / Σᵢ sᵢ + (λ/2)·‖W‖²,   zᵢ = W·xᵢ + b,
 * with the intercept b unpenalized. Parameters are laid out feature-major, [W (F×K), b (K)], so the
 * K class weights of one feature are contiguous: one pass over the CSR rows computes each row's logits,
 * its softmax residual, and scatters the residual into the gradient while the row is in cache.
 */
import { type Csr, gatherRow, scatterRow } from "../topics/csr.js";
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
  const { rows } = X;
  biasGradient.fill(0);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const rowWeight = sampleWeight === null ? 1 : sampleWeight[i]!;
    if (rowWeight === 0) continue;
    // params is [W, b]: the row's gather reads only W (its columns index features).
    gatherRow(X, i, params, K, z, 0);

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

    scatterRow(X, i, z, 0, K, gradient);
  }
  return loss / weightSum;
}
