import type { Rng } from "../util/random.js";
import { type Csr, multiplyDense, multiplyTransposeDense } from "./csr.js";
import { choleskyOrthonormalize, householderQr, jacobiSvd, leadingColumns, multiply } from "./dense.js";

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
 * a Gaussian sketch, power iterations re-orthonormalised by QR each half-step (Cholesky-QR, falling
 * back to Householder), a Householder QR of the final range, then an exact SVD of the small projection. Like scikit-learn it sketches the longer side's range (X or Xᵀ).
 */
export function randomizedSvd(x: Csr, k: number, rng: Rng, options: RandomizedSvdOptions = {}): TruncatedSvd {
  const l = Math.min(k + (options.oversamples ?? 10), x.rows, x.cols);
  const powerIterations = options.powerIterations ?? (k < 0.1 * Math.min(x.rows, x.cols) ? 7 : 4);
  const transposed = x.rows < x.cols;
  // A is X or Xᵀ; A has p rows and q columns.
  const p = transposed ? x.cols : x.rows;
  const q = transposed ? x.rows : x.cols;
  // Sketch buffers reused across power iterations (they are the large allocations here).
  const left = new Float64Array(p * l);
  const right = new Float64Array(q * l);
  const applyA = (d: Float64Array): Float64Array =>
    transposed ? multiplyTransposeDense(x, d, l, left) : multiplyDense(x, d, l, left);
  const applyAt = (d: Float64Array): Float64Array =>
    transposed ? multiplyDense(x, d, l, right) : multiplyTransposeDense(x, d, l, right);

  const omega = new Float64Array(q * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let range = applyA(omega);
  for (let it = 0; it < powerIterations; it++) {
    const back = applyAt(normalized(range, p, l));
    range = applyA(normalized(back, q, l));
  }
  range = householderQr(range, p, l).q;
  // Bᵀ = Aᵀ·Q = Q₂·R, and Rᵀ = Uₐ·S·Vₐᵀ, so A ≈ (Q·Uₐ)·S·(Q₂·Vₐ)ᵀ.
  const { q: q2, r } = householderQr(applyAt(range), q, l);
  const rt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) rt[i * l + j] = r[j * l + i]!;
  const small = jacobiSvd(rt, l);
  // Only the k leading singular vectors are kept, so only those columns are formed.
  const u = multiply(range, p, l, leadingColumns(small.u, l, l, k), k);
  const v = multiply(q2, q, l, leadingColumns(small.v, l, l, k), k);
  const s = small.s.slice(0, k);
  return transposed ? { k, u: v, s, v: u } : { k, u, s, v };
}

/** Power-iteration normalization: Cholesky-QR in place, Householder when the sketch is rank-deficient. */
function normalized(a: Float64Array, rows: number, l: number): Float64Array {
  if (!choleskyOrthonormalize(a, rows, l)) a.set(householderQr(a, rows, l).q);
  return a;
}
