import type { Csr } from "./csr.js";

/** scikit-learn's EPSILON guard (float32 machine epsilon) for divisions by W·H and by denominators. */
const EPSILON = 1.1920929e-7;

export interface KlUpdateOptions {
  readonly tol: number;
  readonly maxIter: number;
  /** Penalties as in fitNmf (already scaled by the other dimension). */
  readonly l1W: number;
  readonly l2W: number;
  readonly l1H: number;
  readonly l2H: number;
  /** false: H is fixed and only W is updated (transform). */
  readonly updateH: boolean;
}

export interface SolverRun {
  readonly iterations: number;
  readonly converged: boolean;
  /** Decrease of the divergence over the last 10 iterations relative to the start's, per check. */
  readonly violations: number[];
}

/**
 * Minimizes the generalized Kullback–Leibler divergence D(X‖WH) = Σ X·ln(X/WH) − X + WH (the β = 1
 * divergence; NMF with it is PLSA up to scaling) by the multiplicative updates of Lee & Seung, as
 * scikit-learn's `_fit_multiplicative_update(beta_loss="kullback-leibler")`:
 *   W ← W ⊙ ((X ⊘ WH)·Hᵀ) ⊘ (1·Hᵀ + l1W + l2W·W),   H ← H ⊙ (Wᵀ·(X ⊘ WH)) ⊘ (Wᵀ·1 + l1H + l2H·H),
 * with W·H evaluated only where X is non-zero, so an iteration costs O(nnz·k + (rows + cols)·k).
 * Like scikit-learn it checks the divergence every 10 iterations and stops when its decrease since
 * the last check falls to tol × its value at the start. W (rows×k) and Hᵀ (cols×k) are updated in
 * place; serial and deterministic.
 */
export function multiplicativeKl(
  x: Csr,
  w: Float64Array,
  ht: Float64Array,
  k: number,
  options: KlUpdateOptions,
): SolverRun {
  const { indptr, indices, data, rows, cols } = x;
  const ratio = new Float64Array(indptr[rows]!);
  const numerator = new Float64Array(k);
  const sums = new Float64Array(k);
  const numeratorHt = new Float64Array(options.updateH ? cols * k : 0);
  const errorAtInit = klDivergence(x, w, ht, k);
  let previous = errorAtInit;
  const violations: number[] = [];
  let iterations = 0;
  let converged = false;
  for (let iter = 1; iter <= options.maxIter; iter++) {
    iterations = iter;
    // W half-step: Σ_j H[t, j] is the same for every row.
    columnSums(ht, cols, k, sums);
    for (let i = 0; i < rows; i++) {
      const wi = i * k;
      numerator.fill(0);
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
        const hj = indices[p]! * k;
        let wh = 0;
        for (let t = 0; t < k; t++) wh += w[wi + t]! * ht[hj + t]!;
        const r = data[p]! / Math.max(wh, EPSILON);
        for (let t = 0; t < k; t++) numerator[t]! += r * ht[hj + t]!;
      }
      for (let t = 0; t < k; t++) {
        const denominator = sums[t]! + options.l1W + options.l2W * w[wi + t]!;
        w[wi + t]! *= numerator[t]! / (denominator === 0 ? EPSILON : denominator);
      }
    }
    if (options.updateH) {
      // H half-step, with the new W: scatter (X ⊘ WH)ᵢⱼ·Wᵢ into row j of (Wᵀ·(X ⊘ WH))ᵀ.
      columnSums(w, rows, k, sums);
      numeratorHt.fill(0);
      for (let i = 0; i < rows; i++) {
        const wi = i * k;
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
          const hj = indices[p]! * k;
          let wh = 0;
          for (let t = 0; t < k; t++) wh += w[wi + t]! * ht[hj + t]!;
          ratio[p] = data[p]! / Math.max(wh, EPSILON);
        }
      }
      for (let i = 0; i < rows; i++) {
        const wi = i * k;
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
          const hj = indices[p]! * k;
          const r = ratio[p]!;
          for (let t = 0; t < k; t++) numeratorHt[hj + t]! += r * w[wi + t]!;
        }
      }
      for (let j = 0; j < cols; j++) {
        for (let t = 0; t < k; t++) {
          const at = j * k + t;
          const denominator = sums[t]! + options.l1H + options.l2H * ht[at]!;
          ht[at]! *= numeratorHt[at]! / (denominator === 0 ? EPSILON : denominator);
        }
      }
    }
    if (options.tol > 0 && iter % 10 === 0) {
      const error = klDivergence(x, w, ht, k);
      const decrease = errorAtInit === 0 ? 0 : (previous - error) / errorAtInit;
      violations.push(decrease);
      if (decrease < options.tol) {
        converged = true;
        break;
      }
      previous = error;
    }
  }
  return { iterations, converged, violations };
}

/** D(X‖WH) = Σ_{X≠0} X·ln(X/WH) − Σ X + Σ WH, with Σ WH = Σ_t (Σ_i W_it)(Σ_j H_tj). */
export function klDivergence(x: Csr, w: Float64Array, ht: Float64Array, k: number): number {
  const { indptr, indices, data, rows, cols } = x;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const wi = i * k;
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
      const hj = indices[p]! * k;
      let wh = 0;
      for (let t = 0; t < k; t++) wh += w[wi + t]! * ht[hj + t]!;
      const v = data[p]!;
      if (v > 0) sum += v * Math.log(v / Math.max(wh, EPSILON)) - v;
    }
  }
  const wSums = columnSums(w, rows, k, new Float64Array(k));
  const hSums = columnSums(ht, cols, k, new Float64Array(k));
  for (let t = 0; t < k; t++) sum += wSums[t]! * hSums[t]!;
  return sum;
}

/** Sums of the k columns of a rows×k row-major matrix. */
function columnSums(m: Float64Array, rows: number, k: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < rows; i++) for (let t = 0; t < k; t++) out[t]! += m[i * k + t]!;
  return out;
}
