import {
  cholesky,
  choleskyOrthonormalize,
  householderQr,
  jacobiSvd,
  leadingColumns,
  multiply,
  solveUpper,
  solveUpperRight,
  upperCrossProduct,
} from "../linalg/dense.js";
import type { Rng } from "../util/random.js";
import { type Csr, multiplyDense, multiplyTransposeDense } from "./csr.js";

/** Truncated SVD X ≈ U·diag(s)·Vᵀ: U rows×k, V cols×k (row-major, singular vectors in columns). */
export interface TruncatedSvd {
  readonly k: number;
  readonly u: Float64Array;
  readonly s: Float64Array;
  readonly v: Float64Array;
}

/**
 * The two sparse products of the sketch, on buffers it owns: `left` (rows×width) and `right`
 * (cols×width), row-major. NMF supplies a threaded implementation over shared memory.
 */
export interface SketchProducts {
  readonly width: number;
  readonly left: Float64Array;
  readonly right: Float64Array;
  /** left ← X·right */
  multiply(): void;
  /** right ← Xᵀ·left */
  multiplyTranspose(): void;
}

export interface RandomizedSvdOptions {
  /** Extra sketch columns beyond k (scikit-learn: 10). */
  readonly oversamples?: number;
  /** Power iterations; default as scikit-learn: 7 when k < 0.1·min(rows, cols), else 4. */
  readonly powerIterations?: number;
  /** Products of X with the sketch; default: serial, on this thread. */
  readonly products?: SketchProducts;
}

/** Columns of the sketch: k plus oversamples, at most min(rows, cols). */
export function sketchWidth(x: Pick<Csr, "rows" | "cols">, k: number, oversamples = 10): number {
  return Math.min(k + oversamples, x.rows, x.cols);
}

export function serialSketchProducts(x: Csr, width: number): SketchProducts {
  const left = new Float64Array(x.rows * width);
  const right = new Float64Array(x.cols * width);
  return {
    width,
    left,
    right,
    multiply: () => multiplyDense(x, right, width, left),
    multiplyTranspose: () => multiplyTransposeDense(x, left, width, right),
  };
}

/**
 * Randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp), never densifying X. Like
 * scikit-learn it sketches the range of the longer side: A is X or Xᵀ, with p ≥ q rows and columns.
 * Power iterations keep the sketch orthonormal by Cholesky-QR, and all dense work stays on the short
 * side: the long range Y = A·Ω is never normalized itself, since Q = Y·R⁻¹ with RᵀR = YᵀY = Ωᵀ·(AᵀY),
 * so Aᵀ·Q = (AᵀY)·R⁻¹ comes from the q-row product the next half-step computes anyway. A rank-deficient
 * sketch (Cholesky fails) falls back to Householder QR of Y. Then an exact SVD of the small projection.
 */
export function randomizedSvd(x: Csr, k: number, rng: Rng, options: RandomizedSvdOptions = {}): TruncatedSvd {
  const l = sketchWidth(x, k, options.oversamples);
  const products = options.products ?? serialSketchProducts(x, l);
  if (products.width !== l) throw new RangeError(`sketch width must be ${l}, got ${products.width}`);
  const powerIterations = options.powerIterations ?? (k < 0.1 * Math.min(x.rows, x.cols) ? 7 : 4);
  const transposed = x.rows < x.cols;
  const p = transposed ? x.cols : x.rows;
  const q = transposed ? x.rows : x.cols;
  // long ← A·short and short ← Aᵀ·long.
  const long = transposed ? products.right : products.left;
  const short = transposed ? products.left : products.right;
  const applyA = transposed ? () => products.multiplyTranspose() : () => products.multiply();
  const applyAt = transposed ? () => products.multiply() : () => products.multiplyTranspose();

  /** short ← Aᵀ·Q for Q = long·R⁻¹ orthonormal, where long = A·previous; returns R. */
  const projectOntoRange = (previous: Float64Array): Float64Array => {
    applyAt();
    const r = cholesky(upperCrossProduct(previous, short, q, l), l);
    if (r !== undefined) {
      solveUpperRight(short, q, l, r);
      return r;
    }
    long.set(householderQr(long, p, l).q);
    applyAt();
    return identity(l);
  };

  for (let i = 0; i < short.length; i++) short[i] = rng.normal();
  const previous = short.slice();
  applyA();
  for (let it = 0; it < powerIterations; it++) {
    projectOntoRange(previous);
    if (!choleskyOrthonormalize(short, q, l)) short.set(householderQr(short, q, l).q);
    previous.set(short);
    applyA();
  }
  // Bᵀ = Aᵀ·Q = Q₂·R₂, and R₂ᵀ = Uₐ·S·Vₐᵀ, so A ≈ (Q·Uₐ)·S·(Q₂·Vₐ)ᵀ with Q·Uₐ = long·(R⁻¹·Uₐ).
  const r = projectOntoRange(previous);
  const { q: q2, r: r2 } = householderQr(short, q, l);
  const r2t = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) r2t[i * l + j] = r2[j * l + i]!;
  const small = jacobiSvd(r2t, l);
  // Only the k leading singular vectors are kept, so only those columns are formed.
  const u = multiply(long, p, l, solveUpper(r, l, leadingColumns(small.u, l, l, k), k), k);
  const v = multiply(q2, q, l, leadingColumns(small.v, l, l, k), k);
  const s = small.s.slice(0, k);
  return transposed ? { k, u: v, s, v: u } : { k, u, s, v };
}

function identity(l: number): Float64Array {
  const out = new Float64Array(l * l);
  for (let i = 0; i < l; i++) out[i * l + i] = 1;
  return out;
}
