/**
 * fitNmf's work split into a FIXED number of parts (PARTS), whatever the number of threads running
 * them: the two half-steps of a coordinate-descent iteration and the two sparse products of the
 * randomized-SVD initialization. W rows and Hᵀ rows are partitioned once, per-part partial sums
 * (Xᵀ·W, Wᵀ·W, Hᵀ-Gram, Xᵀ·sketch, violations) are combined in part order, so the result is
 * bit-identical whether the parts run serially or on worker threads. Every array lives in
 * SharedArrayBuffers.
 */
import { type Csr, gatherRow, scatterRow } from "./csr.js";
import type { SketchProducts } from "./randomized-svd.js";

export const PARTS = 2;

/** Everything one part of a sweep reads and writes; plain data, so it can be posted to a worker. */
export interface SweepState {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
  readonly w: Float64Array;
  readonly ht: Float64Array;
  /** Row splits of W (by non-zeros) and of Hᵀ (by count), PARTS + 1 each. */
  readonly rowSplits: Int32Array;
  readonly colSplits: Int32Array;
  /** [l1W, l1H]. */
  readonly l1: Float64Array;
  /** HHᵀ (+ l2 on the diagonal) for the W half-step, WᵀW (+ l2) for the H half-step. */
  readonly hht: Float64Array;
  readonly wtw: Float64Array;
  /** Per part: Xᵀ·W over its rows (cols×k), Wᵀ·W and Hᵀ-Gram partials (k×k), violation, scratch (k). */
  readonly xtwParts: Float64Array;
  readonly wtwParts: Float64Array;
  readonly hhtParts: Float64Array;
  readonly violations: Float64Array;
  readonly scratch: Float64Array;
  /** Randomized-SVD sketch: width, X-side (rows×width), Xᵀ-side (cols×width) and its per-part partials. */
  readonly sketchWidth: number;
  readonly sketchLeft: Float64Array;
  readonly sketchRight: Float64Array;
  readonly sketchRightParts: Float64Array;
}

/** W and H half-steps; sketchLeft ← X·sketchRight; per-part partials of Xᵀ·sketchLeft. */
export type SweepTask = "w" | "h" | "sketch" | "sketchTranspose";

function shared<T extends Float64Array | Int32Array>(
  make: new (buffer: SharedArrayBuffer) => T,
  bytes: number,
  length: number,
): T {
  return new make(new SharedArrayBuffer(length * bytes));
}

export function sharedFloats(length: number): Float64Array {
  return shared(Float64Array, 8, length);
}

function sharedInts(length: number): Int32Array {
  return shared(Int32Array, 4, length);
}

/**
 * Copies X into shared memory, with zeroed shared W, Hᵀ and sketch buffers (sketchWidth 0 when no
 * SVD is needed), and fixes the partition (it depends on X only).
 */
export function createSweepState(
  x: Csr,
  k: number,
  l1W: number,
  l1H: number,
  sketchWidth: number,
): SweepState {
  const total = x.indptr[x.rows]!;
  const indptr = sharedInts(x.rows + 1);
  indptr.set(x.indptr.subarray(0, x.rows + 1));
  const indices = sharedInts(total);
  indices.set(x.indices.subarray(0, total));
  const data = sharedFloats(total);
  data.set(x.data.subarray(0, total));
  const rowSplits = sharedInts(PARTS + 1);
  const colSplits = sharedInts(PARTS + 1);
  for (let p = 1, i = 0; p < PARTS; p++) {
    while (i < x.rows && indptr[i]! < (total * p) / PARTS) i++;
    rowSplits[p] = i;
    colSplits[p] = Math.floor((x.cols * p) / PARTS);
  }
  rowSplits[PARTS] = x.rows;
  colSplits[PARTS] = x.cols;
  const l1 = sharedFloats(2);
  l1[0] = l1W;
  l1[1] = l1H;
  return {
    rows: x.rows,
    cols: x.cols,
    k,
    indptr,
    indices,
    data,
    w: sharedFloats(x.rows * k),
    ht: sharedFloats(x.cols * k),
    rowSplits,
    colSplits,
    l1,
    hht: sharedFloats(k * k),
    wtw: sharedFloats(k * k),
    xtwParts: sharedFloats(PARTS * x.cols * k),
    wtwParts: sharedFloats(PARTS * k * k),
    hhtParts: sharedFloats(PARTS * k * k),
    violations: sharedFloats(PARTS),
    scratch: sharedFloats(PARTS * k),
    sketchWidth,
    sketchLeft: sharedFloats(x.rows * sketchWidth),
    sketchRight: sharedFloats(x.cols * sketchWidth),
    sketchRightParts: sharedFloats(PARTS * x.cols * sketchWidth),
  };
}

export function runPart(state: SweepState, task: SweepTask, part: number): void {
  if (task === "w") sweepWPart(state, part);
  else if (task === "h") sweepHPart(state, part);
  else if (task === "sketch") sketchPart(state, part);
  else sketchTransposePart(state, part);
}

/** The sketch products of randomizedSvd on these parts, run by `run` (serially or on threads). */
export function sketchProducts(s: SweepState, run: (task: SweepTask) => void): SketchProducts {
  const { cols, sketchWidth: width, sketchRight: right, sketchRightParts: parts } = s;
  const size = cols * width;
  return {
    width,
    left: s.sketchLeft,
    right,
    multiply: () => run("sketch"),
    multiplyTranspose: () => {
      run("sketchTranspose");
      right.set(parts.subarray(0, size));
      for (let p = 1; p < PARTS; p++)
        for (let i = 0, from = p * size; i < size; i++) right[i]! += parts[from + i]!;
    },
  };
}

function sketchPart(s: SweepState, part: number): void {
  const { sketchWidth: width, sketchRight: right, sketchLeft: left } = s;
  for (let i = s.rowSplits[part]!; i < s.rowSplits[part + 1]!; i++)
    gatherRow(s, i, right, width, left, i * width);
}

function sketchTransposePart(s: SweepState, part: number): void {
  const { sketchWidth: width, sketchLeft: left } = s;
  const out = s.sketchRightParts.subarray(part * s.cols * width, (part + 1) * s.cols * width);
  out.fill(0);
  for (let i = s.rowSplits[part]!; i < s.rowSplits[part + 1]!; i++)
    scatterRow(s, i, left, i * width, width, out);
}

/**
 * W half-step on this part's rows with H fixed: gathers (X·Hᵀ)ᵢ, updates Wᵢ, and scatters Xᵢᵀ·Wᵢ
 * and Wᵢᵀ·Wᵢ into the part's partials while the row is in cache.
 */
function sweepWPart(s: SweepState, part: number): void {
  const { k, w, ht, hht } = s;
  const x: Csr = s;
  const l1 = s.l1[0]!;
  const xh = s.scratch.subarray(part * k, part * k + k);
  const xtw = s.xtwParts.subarray(part * s.cols * k, (part + 1) * s.cols * k);
  const wtw = s.wtwParts.subarray(part * k * k, (part + 1) * k * k);
  xtw.fill(0);
  wtw.fill(0);
  let violation = 0;
  for (let i = s.rowSplits[part]!; i < s.rowSplits[part + 1]!; i++) {
    gatherRow(x, i, ht, k, xh, 0);
    if (l1 !== 0) for (let c = 0; c < k; c++) xh[c]! -= l1;
    const row = i * k;
    violation += updateRow(w, row, k, hht, xh, 0);
    scatterRow(x, i, w, row, k, xtw);
    for (let r = 0; r < k; r++) {
      const v = w[row + r]!;
      if (v === 0) continue;
      const to = r * k;
      for (let c = r; c < k; c++) wtw[to + c]! += v * w[row + c]!;
    }
  }
  s.violations[part] = violation;
}

/**
 * H half-step on this part's rows of Hᵀ with W fixed: Xᵀ·W summed over the parts in part order,
 * then the update; also this part's share of the next iteration's Hᵀ-Gram (upper triangle).
 */
function sweepHPart(s: SweepState, part: number): void {
  const { k, cols, ht, wtw, xtwParts } = s;
  const l1 = s.l1[1]!;
  const xw = s.scratch.subarray(part * k, part * k + k);
  const hht = s.hhtParts.subarray(part * k * k, (part + 1) * k * k);
  hht.fill(0);
  let violation = 0;
  for (let j = s.colSplits[part]!; j < s.colSplits[part + 1]!; j++) {
    const row = j * k;
    for (let c = 0; c < k; c++) {
      let sum = xtwParts[row + c]!;
      for (let p = 1; p < PARTS; p++) sum += xtwParts[p * cols * k + row + c]!;
      xw[c] = sum - l1;
    }
    violation += updateRow(ht, row, k, wtw, xw, 0);
    for (let r = 0; r < k; r++) {
      const v = ht[row + r]!;
      if (v === 0) continue;
      const to = r * k;
      for (let c = r; c < k; c++) hht[to + c]! += v * ht[row + c]!;
    }
  }
  s.violations[part] = violation;
}

/** Hᵀ-Gram partials of every part (for the first iteration), computed like sweepHPart does. */
export function gramParts(s: SweepState): void {
  const { k, ht } = s;
  for (let part = 0; part < PARTS; part++) {
    const hht = s.hhtParts.subarray(part * k * k, (part + 1) * k * k);
    hht.fill(0);
    for (let j = s.colSplits[part]!; j < s.colSplits[part + 1]!; j++) {
      const row = j * k;
      for (let r = 0; r < k; r++) {
        const v = ht[row + r]!;
        if (v === 0) continue;
        const to = r * k;
        for (let c = r; c < k; c++) hht[to + c]! += v * ht[row + c]!;
      }
    }
  }
}

/** out = Σ parts in part order (upper triangles), mirrored to full symmetric, plus l2 on the diagonal. */
export function combineGram(parts: Float64Array, k: number, l2: number, out: Float64Array): void {
  for (let r = 0; r < k; r++) {
    for (let c = r; c < k; c++) {
      let sum = parts[r * k + c]!;
      for (let p = 1; p < PARTS; p++) sum += parts[p * k * k + r * k + c]!;
      out[r * k + c] = sum;
      out[c * k + r] = sum;
    }
  }
  if (l2 !== 0) for (let t = 0; t < k; t++) out[t * k + t]! += l2;
}

export function combineViolations(s: SweepState): number {
  let violation = 0;
  for (let p = 0; p < PARTS; p++) violation += s.violations[p]!;
  return violation;
}

/**
 * One cyclic coordinate-descent pass over the k entries of a factor row (scikit-learn's
 * `_update_cdnmf_fast` for one sample): gradient from the Gram matrix and the data product,
 * exact minimization clipped at zero, and the projected gradient's absolute value as violation.
 */
export function updateRow(
  f: Float64Array,
  row: number,
  k: number,
  g: Float64Array,
  product: Float64Array,
  productRow: number,
): number {
  let violation = 0;
  for (let t = 0; t < k; t++) {
    const gt = t * k;
    let grad = -product[productRow + t]!;
    for (let r = 0; r < k; r++) grad += g[gt + r]! * f[row + r]!;
    const current = f[row + t]!;
    violation += Math.abs(current === 0 ? Math.min(0, grad) : grad);
    const hess = g[gt + t]!;
    if (hess !== 0) f[row + t] = Math.max(current - grad / hess, 0);
  }
  return violation;
}
