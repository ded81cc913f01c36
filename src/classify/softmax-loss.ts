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
  const scratch = new Float64Array(problem.nClasses);
  return (params, gradient) => softmaxLossGradient(problem, params, gradient, scratch);
}

/** Returns the loss at `params` and writes its gradient into `gradient`; `scratch` holds K numbers. */
export function softmaxLossGradient(
  problem: SoftmaxProblem,
  params: Float64Array,
  gradient: Float64Array,
  scratch: Float64Array,
): number {
  const { X, y, nClasses: K, sampleWeight, l2, fitIntercept } = problem;
  const { rows, indptr, indices, data } = X;
  const weightCount = X.cols * K;
  const z = scratch;
  let weightSum = 0;
  if (sampleWeight === null) weightSum = rows;
  else for (let i = 0; i < rows; i++) weightSum += sampleWeight[i]!;

  gradient.fill(0);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const rowWeight = sampleWeight === null ? 1 : sampleWeight[i]!;
    if (rowWeight === 0) continue;
    const start = indptr[i]!;
    const end = indptr[i + 1]!;
    if (fitIntercept) for (let k = 0; k < K; k++) z[k] = params[weightCount + k]!;
    else z.fill(0, 0, K);
    // The K-loops are unrolled by four: V8 does not unroll, and short loops dominate the fit.
    for (let p = start; p < end; p++) {
      const base = indices[p]! * K;
      const v = data[p]!;
      let k = 0;
      for (; k + 3 < K; k += 4) {
        z[k]! += v * params[base + k]!;
        z[k + 1]! += v * params[base + k + 1]!;
        z[k + 2]! += v * params[base + k + 2]!;
        z[k + 3]! += v * params[base + k + 3]!;
      }
      for (; k < K; k++) z[k]! += v * params[base + k]!;
    }

    // Stable log-sum-exp; z becomes the scaled residual sᵢ·(pᵢ − onehot(yᵢ)) / Σs.
    const label = y[i]!;
    let max = z[0]!;
    for (let k = 1; k < K; k++) if (z[k]! > max) max = z[k]!;
    const trueLogit = z[label]!;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(z[k]! - max);
      z[k] = e;
      sum += e;
    }
    loss += rowWeight * (max + Math.log(sum) - trueLogit);
    const scale = rowWeight / weightSum / sum;
    for (let k = 0; k < K; k++) z[k]! *= scale;
    z[label]! -= rowWeight / weightSum;

    for (let p = start; p < end; p++) {
      const base = indices[p]! * K;
      const v = data[p]!;
      let k = 0;
      for (; k + 3 < K; k += 4) {
        gradient[base + k]! += v * z[k]!;
        gradient[base + k + 1]! += v * z[k + 1]!;
        gradient[base + k + 2]! += v * z[k + 2]!;
        gradient[base + k + 3]! += v * z[k + 3]!;
      }
      for (; k < K; k++) gradient[base + k]! += v * z[k]!;
    }
    if (fitIntercept) for (let k = 0; k < K; k++) gradient[weightCount + k]! += z[k]!;
  }
  loss /= weightSum;

  let squaredNorm = 0;
  for (let t = 0; t < weightCount; t++) {
    const w = params[t]!;
    squaredNorm += w * w;
    gradient[t]! += l2 * w;
  }
  return loss + 0.5 * l2 * squaredNorm;
}
