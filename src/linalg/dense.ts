/**
 * Small dense kernels on row-major Float64Array matrices, for the tall-skinny (n×k) and tiny (k×k)
 * matrices of NMF and its randomized SVD initialisation. The loops over the long side run as SIMD
 * WebAssembly (src/linalg/kernels/dense.wat), in blocks of rows where rows are independent.
 */
import { denseWorkspace, layout } from "./kernels/dense.js";

/** Rows per block of a row-wise kernel whose rows take `rowDoubles` doubles: about 8 MiB a block. */
const blockRows = (rows: number, rowDoubles: number): number =>
  Math.min(rows, Math.max(1, Math.floor(2 ** 20 / rowDoubles)));

/** step(first row, row count) over consecutive blocks of `block` rows. */
function eachBlock(rows: number, block: number, step: (first: number, count: number) => void): void {
  for (let i = 0; i < rows; i += block) step(i, Math.min(block, rows - i));
}

/** out (k×k, full symmetric) = Aᵀ·A for A rows×k row-major. */
export function gram(a: Float64Array, rows: number, k: number, out: Float64Array): Float64Array {
  upperCrossProduct(a, a, rows, k, out.fill(0));
  for (let r = 0; r < k; r++) for (let c = 0; c < r; c++) out[r * k + c] = out[c * k + r]!;
  return out;
}

/** A (rows×l) · B (l×cols), all row-major. */
export function multiply(
  a: Float64Array,
  rows: number,
  l: number,
  b: Float64Array,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  const block = blockRows(rows, l + cols);
  const {
    offsets: [at, bt, to],
    total,
  } = layout(block * l, l * cols, block * cols);
  const { kernels, heap } = denseWorkspace(total);
  heap.set(b.subarray(0, l * cols), bt);
  eachBlock(rows, block, (i, n) => {
    heap.set(a.subarray(i * l, (i + n) * l), at);
    // out[i, ·] = Σ_p a[i, p]·b[p, ·] in p order, zero a[i, p] skipped.
    kernels.multiply(at! * 8, n, l, bt! * 8, cols, to! * 8);
    out.set(heap.subarray(to!, to! + n * cols), i * cols);
  });
  return out;
}

/**
 * Thin QR by Householder reflections of A (rows×l, rows ≥ l), returning Q (rows×l) and R (l×l).
 * Householder (not Gram–Schmidt or Cholesky-QR) so rank-deficient sketches still give an orthonormal Q.
 */
export function householderQr(
  a: Float64Array,
  rows: number,
  l: number,
): { q: Float64Array; r: Float64Array } {
  const {
    offsets: [workAt, qAt, wAt],
    total,
  } = layout(rows * l, rows * l, l);
  const { kernels, heap } = denseWorkspace(total);
  const work = heap.subarray(workAt!, workAt! + rows * l);
  work.set(a.subarray(0, rows * l));
  const reflect = (target: number, c: number, from: number, v0: number, b: number): void =>
    kernels.applyReflector(target * 8, rows, l, c, from, v0, b, workAt! * 8, l, c, wAt! * 8);
  const head = new Float64Array(l); // first entry of each reflector v (the rest lives below the diagonal)
  const beta = new Float64Array(l);
  const r = new Float64Array(l * l);
  for (let c = 0; c < l; c++) {
    const alpha = work[c * l + c]!;
    let sigma = 0;
    for (let i = c + 1; i < rows; i++) sigma += work[i * l + c]! * work[i * l + c]!;
    const norm = Math.sqrt(alpha * alpha + sigma);
    if (norm === 0) {
      r[c * l + c] = 0;
      continue;
    }
    const diag = alpha > 0 ? -norm : norm;
    const v0 = alpha - diag;
    head[c] = v0;
    beta[c] = 2 / (v0 * v0 + sigma);
    r[c * l + c] = diag;
    reflect(workAt!, c, c + 1, v0, beta[c]!);
    for (let j = c + 1; j < l; j++) r[c * l + j] = work[c * l + j]!;
  }
  const q = heap.subarray(qAt!, qAt! + rows * l).fill(0);
  for (let c = 0; c < l; c++) q[c * l + c] = 1;
  for (let c = l - 1; c >= 0; c--) {
    if (beta[c] === 0) continue;
    reflect(qAt!, c, c, head[c]!, beta[c]!);
  }
  return { q: q.slice(), r };
}

/**
 * Cholesky-QR in place: A ← A·R⁻¹ with RᵀR = AᵀA, about 4× cheaper than Householder with Q formed.
 * Orthonormal only up to cond(A)²·ε, which suffices to keep power-iteration columns apart. Returns
 * false (A untouched) when AᵀA is numerically singular, for the caller to fall back to Householder.
 */
export function choleskyOrthonormalize(a: Float64Array, rows: number, l: number): boolean {
  const r = cholesky(gram(a, rows, l, new Float64Array(l * l)), l);
  if (r === undefined) return false;
  solveUpperRight(a, rows, l, r);
  return true;
}

/**
 * Upper-triangular R with RᵀR = G for a symmetric positive-definite G (l×l, only its upper triangle
 * is read), or undefined when a
 * pivot falls below 1e-10 of G's largest diagonal entry (numerically singular).
 */
export function cholesky(g: Float64Array, l: number): Float64Array | undefined {
  let maxDiagonal = 0;
  for (let c = 0; c < l; c++) maxDiagonal = Math.max(maxDiagonal, g[c * l + c]!);
  const r = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    let d = g[i * l + i]!;
    for (let p = 0; p < i; p++) d -= r[p * l + i]! * r[p * l + i]!;
    if (!(d > 1e-10 * maxDiagonal)) return undefined;
    const rii = Math.sqrt(d);
    r[i * l + i] = rii;
    for (let j = i + 1; j < l; j++) {
      let v = g[i * l + j]!;
      for (let p = 0; p < i; p++) v -= r[p * l + i]! * r[p * l + j]!;
      r[i * l + j] = v / rii;
    }
  }
  return r;
}

/** A ← A·R⁻¹ in place for A rows×l and R upper-triangular l×l: each row solves x·R = a by forward substitution. */
export function solveUpperRight(a: Float64Array, rows: number, l: number, r: Float64Array): void {
  const block = blockRows(rows, l);
  const {
    offsets: [at, rt],
    total,
  } = layout(block * l, l * l);
  const { kernels, heap } = denseWorkspace(total);
  heap.set(r.subarray(0, l * l), rt);
  eachBlock(rows, block, (i, n) => {
    heap.set(a.subarray(i * l, (i + n) * l), at);
    // Per row: a[j] = (a[j] − Σ_{p<j} x[p]·r[p, j]) / r[j, j], the subtractions in p order.
    kernels.solveUpperRight(at! * 8, n, l, rt! * 8);
    a.set(heap.subarray(at!, at! + n * l), i * l);
  });
}

/** R⁻¹·B for R upper-triangular l×l and B l×cols (back substitution, column block at once). */
export function solveUpper(r: Float64Array, l: number, b: Float64Array, cols: number): Float64Array {
  const out = b.slice();
  for (let i = l - 1; i >= 0; i--) {
    const to = i * cols;
    for (let p = i + 1; p < l; p++) {
      const v = r[i * l + p]!;
      const from = p * cols;
      for (let c = 0; c < cols; c++) out[to + c]! -= v * out[from + c]!;
    }
    const diagonal = r[i * l + i]!;
    for (let c = 0; c < cols; c++) out[to + c]! /= diagonal;
  }
  return out;
}

/**
 * The upper triangle of Aᵀ·B (l×l, added to `out`, default zeros) for A and B rows×l: when B = M·A
 * for a symmetric M it is the upper triangle of the Gram AᵀMA, which is all `cholesky` reads.
 */
export function upperCrossProduct(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  l: number,
  out: Float64Array = new Float64Array(l * l),
): Float64Array {
  const block = blockRows(rows, 2 * l);
  const {
    offsets: [at, bt, to],
    total,
  } = layout(block * l, block * l, l * l);
  const { kernels, heap } = denseWorkspace(total);
  heap.set(out.subarray(0, l * l), to);
  eachBlock(rows, block, (i, n) => {
    heap.set(a.subarray(i * l, (i + n) * l), at);
    heap.set(b.subarray(i * l, (i + n) * l), bt);
    // out[r, c] += a[i, r]·b[i, c] for c ≥ r, rows in order, zero a[i, r] skipped.
    kernels.upperCrossProduct(at! * 8, bt! * 8, n, l, to! * 8);
  });
  out.set(heap.subarray(to!, to! + l * l));
  return out;
}

/**
 * SVD of a small square matrix M (l×l) by one-sided Jacobi: M = U·diag(s)·Vᵀ with s descending;
 * U and V are row-major with singular vectors in columns. Accurate to working precision.
 */
export function jacobiSvd(m: Float64Array, l: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
  const a = m.slice();
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < l - 1; p++) {
      for (let q = p + 1; q < l; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < l; i++) {
          const x = a[i * l + p]!;
          const y = a[i * l + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cos = 1 / Math.sqrt(1 + t * t);
        const sin = cos * t;
        rotateColumns(a, l, p, q, cos, sin);
        rotateColumns(v, l, p, q, cos, sin);
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(l);
  for (let j = 0; j < l; j++) {
    let sum = 0;
    for (let i = 0; i < l; i++) sum += a[i * l + j]! * a[i * l + j]!;
    norms[j] = Math.sqrt(sum);
  }
  const order = Array.from({ length: l }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const u = new Float64Array(l * l);
  const vSorted = new Float64Array(l * l);
  const s = new Float64Array(l);
  order.forEach((j, to) => {
    s[to] = norms[j]!;
    for (let i = 0; i < l; i++) {
      u[i * l + to] = norms[j]! > 0 ? a[i * l + j]! / norms[j]! : 0;
      vSorted[i * l + to] = v[i * l + j]!;
    }
  });
  return { u, s, v: vSorted };
}

function rotateColumns(a: Float64Array, l: number, p: number, q: number, cos: number, sin: number): void {
  for (let i = 0; i < l; i++) {
    const x = a[i * l + p]!;
    const y = a[i * l + q]!;
    a[i * l + p] = cos * x - sin * y;
    a[i * l + q] = sin * x + cos * y;
  }
}

/** The first k columns of A (rows×l) as a rows×k matrix. */
export function leadingColumns(a: Float64Array, rows: number, l: number, k: number): Float64Array {
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) out[i * k + c] = a[i * l + c]!;
  return out;
}
