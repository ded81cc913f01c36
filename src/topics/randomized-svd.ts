import type { Rng } from "../util/random.js";
import { type Csr, multiplyDense, multiplyTransposeDense } from "./csr.js";
import { householderQr, jacobiSvd, leadingColumns, multiply } from "./dense.js";

/** Truncated SVD X ≈ U·diag(s)·Vᵀ: U rows×k, V cols×k (row-major, singular vectors in columns). */
export interface TruncatedSvd {
  readonly k: number;
  readonly u: Float64Array;
  readonly s: Float64Array;
  readonly v: Float64Array;
}

export interface RandomizedSvdOptions {
  /** Extra sketch columns beyond k (scikit-learn: 10). */
  readonly oversamples?: number;
  /** Power iterations; default as scikit-learn: 7 when k < 0.1·min(rows, cols), else 4. */
  readonly powerIterations?: number;
}

/**
 * Randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp), never densifying X:
 * a Gaussian sketch, power iterations re-orthonormalised by QR each half-step, then an exact SVD of
 * the small projected matrix. Like scikit-learn it sketches the longer side's range (X or Xᵀ).
 */
export function randomizedSvd(x: Csr, k: number, rng: Rng, options: RandomizedSvdOptions = {}): TruncatedSvd {
  const l = Math.min(k + (options.oversamples ?? 10), x.rows, x.cols);
  const powerIterations = options.powerIterations ?? (k < 0.1 * Math.min(x.rows, x.cols) ? 7 : 4);
  const transposed = x.rows < x.cols;
  // A is X or Xᵀ; A has p rows and q columns.
  const p = transposed ? x.cols : x.rows;
  const q = transposed ? x.rows : x.cols;
  const applyA = (d: Float64Array): Float64Array =>
    transposed
      ? multiplyTransposeDense(x, d, l, new Float64Array(p * l))
      : multiplyDense(x, d, l, new Float64Array(p * l));
  const applyAt = (d: Float64Array): Float64Array =>
    transposed
      ? multiplyDense(x, d, l, new Float64Array(q * l))
      : multiplyTransposeDense(x, d, l, new Float64Array(q * l));

  const omega = new Float64Array(q * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let range = householderQr(applyA(omega), p, l).q;
  for (let it = 0; it < powerIterations; it++) {
    const back = householderQr(applyAt(range), q, l).q;
    range = householderQr(applyA(back), p, l).q;
  }
  // Bᵀ = Aᵀ·Q = Q₂·R, and Rᵀ = Uₐ·S·Vₐᵀ, so A ≈ (Q·Uₐ)·S·(Q₂·Vₐ)ᵀ.
  const { q: q2, r } = householderQr(applyAt(range), q, l);
  const rt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) rt[i * l + j] = r[j * l + i]!;
  const small = jacobiSvd(rt, l);
  const left = leadingColumns(multiply(range, p, l, small.u, l), p, l, k);
  const right = leadingColumns(multiply(q2, q, l, small.v, l), q, l, k);
  const s = small.s.slice(0, k);
  return transposed ? { k, u: right, s, v: left } : { k, u: left, s, v: right };
}
