/**
 * The multinomial logistic loss scikit-learn minimizes (LinearModelLoss with HalfMultinomialLoss):
 *   L(W, b) = Σᵢ sᵢ·(logΣₖ exp zᵢₖ − zᵢ,yᵢ) / Σᵢ sᵢ + (λ/2)·‖W‖²,   zᵢ = W·xᵢ + b,
 * with the intercept b unpenalized. Parameters are laid out feature-major, [W (F×K), b (K)], so the
 * K class weights of one feature are contiguous: one pass over the CSR rows computes each row's logits,
 * its softmax residual, and scatters the residual into the gradient while the row is in cache. The
 * row's gather and scatter run as the SIMD WebAssembly kernels NMF uses (src/topics/kernels/), bit-
 * identical to csr.ts's gatherRow / scatterRow: they were most of train's time.
 */
import type { Csr } from "../topics/csr.js";
import { type SparseKernels, sharedMemory, sparseKernels } from "../topics/kernels/sparse.js";
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
  const buffers = rowBuffers(problem.X, K);
  let weightSum = 0;
  if (problem.sampleWeight === null) weightSum = problem.X.rows;
  else for (let i = 0; i < problem.X.rows; i++) weightSum += problem.sampleWeight[i]!;
  return (params, gradient) => {
    const bias = problem.fitIntercept ? params.subarray(weightCount, weightCount + K) : buffers.zeroBias;
    buffers.weights.set(params.subarray(0, weightCount));
    buffers.weightGradient.fill(0);
    const loss = dataLoss(problem, weightSum, bias, buffers);
    gradient.set(buffers.weightGradient);
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
  kernels: SparseKernels;
  /** Byte offsets of X's arrays, W and the row buffer z in the kernels' memory. */
  at: { indptr: number; indices: number; data: number; weights: number; gradient: number; z: number };
  /** W (F×K) and its gradient, in the kernels' memory. */
  weights: Float64Array;
  weightGradient: Float64Array;
  /** One row's logits, then its residuals (in the kernels' memory). */
  z: Float64Array;
  zeroBias: Float64Array;
  biasGradient: Float64Array;
}

/** X, W, its gradient and the row buffer laid out in one WebAssembly memory for the kernels. */
function rowBuffers(X: Csr, K: number): RowBuffers {
  const sizes = {
    indptr: 4 * (X.rows + 1),
    indices: 4 * X.indices.length,
    data: 8 * X.data.length,
    weights: 8 * X.cols * K,
    gradient: 8 * X.cols * K,
    z: 8 * K,
  };
  const at = { indptr: 0, indices: 0, data: 0, weights: 0, gradient: 0, z: 0 };
  let bytes = 0;
  for (const name of Object.keys(sizes) as (keyof typeof sizes)[]) {
    at[name] = bytes;
    bytes += Math.ceil(sizes[name] / 16) * 16;
  }
  const memory = sharedMemory(bytes, {
    name: "router training",
    remedy: "too many labelled tickets for one fit (about 10 million of 40 terms each)",
  });
  const { buffer } = memory;
  new Int32Array(buffer, at.indptr, X.rows + 1).set(X.indptr);
  new Int32Array(buffer, at.indices, X.indices.length).set(X.indices);
  new Float64Array(buffer, at.data, X.data.length).set(X.data);
  return {
    kernels: sparseKernels(memory),
    at,
    weights: new Float64Array(buffer, at.weights, X.cols * K),
    weightGradient: new Float64Array(buffer, at.gradient, X.cols * K),
    z: new Float64Array(buffer, at.z, K),
    zeroBias: new Float64Array(K),
    biasGradient: new Float64Array(K),
  };
}

/** The mean weighted cross-entropy; adds its gradient to the weight part of `gradient` and to biasGradient. */
function dataLoss(
  problem: SoftmaxProblem,
  weightSum: number,
  bias: Float64Array,
  { kernels, at, z, biasGradient }: RowBuffers,
): number {
  const { X, y, nClasses: K, sampleWeight } = problem;
  const { rows } = X;
  biasGradient.fill(0);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const rowWeight = sampleWeight === null ? 1 : sampleWeight[i]!;
    if (rowWeight === 0) continue;
    // Row i as row 0 of the CSR whose indptr starts at entry i: its logits W·xᵢ into z.
    const row = at.indptr + 4 * i;
    kernels.gatherRows(row, at.indices, at.data, 0, 1, at.weights, K, at.z);

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

    kernels.scatterRows(row, at.indices, at.data, 0, 1, at.z, K, at.gradient);
  }
  return loss / weightSum;
}
