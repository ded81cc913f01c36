/**
 * fitNmf's work split into a FIXED number of parts (PARTS), whatever the number of threads running
 * them: the two half-steps of a coordinate-descent iteration and the two sparse products of the
 * randomized-SVD initialization. W rows and Hᵀ rows are partitioned once, per-part partial sums
 * (Xᵀ·W, Wᵀ·W, Hᵀ-Gram, Xᵀ·sketch, violations) are combined in part order, so the result is
 * bit-identical whether the parts run serially or on worker threads. Every array is a view into one
 * shared WebAssembly memory, where the SIMD sparse kernels (src/topics/kernels) run on it.
 */

import { upperCrossProduct } from "../linalg/dense.js";
import type { Csr } from "./csr.js";
import { type SparseKernels, sharedMemory, sparseKernels } from "./kernels/sparse.js";
import type { SketchProducts } from "./randomized-svd.js";

export const PARTS = 2;

/** Everything one part of a sweep reads and writes; plain data, so it can be posted to a worker. */
export interface SweepState {
  readonly memory: WebAssembly.Memory;
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
  /**
   * Per part: Xᵀ·W over its rows (cols×k), Wᵀ·W and Hᵀ-Gram partials (k×k), violation, scratch
   * (2k: a data-product row and a gradient).
   */
  readonly xtwParts: Float64Array;
  readonly wtwParts: Float64Array;
  readonly hhtParts: Float64Array;
  readonly violations: Float64Array;
  readonly scratch: Float64Array;
  /** Randomized-SVD sketch: width, X-side (rows×width), Xᵀ-side (cols×width) and its per-part partials. */
  readonly sketchWidth: number;
  readonly sketchLeft: Float64Array;
  /** X·Hᵀ (rows×k) for the final error, in the sketch's X-side memory (the sketch is done by then). */
  readonly xht: Float64Array;
  readonly sketchRight: Float64Array;
  readonly sketchRightParts: Float64Array;
}

/** W and H half-steps; sketchLeft ← X·sketchRight; per-part partials of Xᵀ·sketchLeft; xht ← X·Hᵀ. */
export type SweepTask = "w" | "h" | "sketch" | "sketchTranspose" | "product";

/**
 * Copies X into a new shared memory, with zeroed W, Hᵀ and sketch buffers (sketchWidth 0 when no
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
  // Lay the arrays out first (16-byte aligned, for the kernels' vector loads), then make the memory.
  const layout: [offset: number, length: number, type: "int" | "float"][] = [];
  let bytes = 0;
  const place = (length: number, type: "int" | "float"): number => {
    bytes = Math.ceil(bytes / 16) * 16;
    layout.push([bytes, length, type]);
    bytes += length * (type === "int" ? 4 : 8);
    return layout.length - 1;
  };
  const slots = {
    indptr: place(x.rows + 1, "int"),
    indices: place(total, "int"),
    rowSplits: place(PARTS + 1, "int"),
    colSplits: place(PARTS + 1, "int"),
    data: place(total, "float"),
    w: place(x.rows * k, "float"),
    ht: place(x.cols * k, "float"),
    l1: place(2, "float"),
    hht: place(k * k, "float"),
    wtw: place(k * k, "float"),
    xtwParts: place(PARTS * x.cols * k, "float"),
    wtwParts: place(PARTS * k * k, "float"),
    hhtParts: place(PARTS * k * k, "float"),
    violations: place(PARTS, "float"),
    scratch: place(PARTS * 2 * k, "float"),
    sketchLeft: place(x.rows * Math.max(sketchWidth, k), "float"),
    sketchRight: place(x.cols * sketchWidth, "float"),
    sketchRightParts: place(PARTS * x.cols * sketchWidth, "float"),
  };
  const memory = sharedMemory(bytes, {
    name: "NMF",
    remedy: "reduce the vocabulary (min_df, max_df) or fit on a sample (`inflow tickets relabel --sample`)",
  });
  const ints = (slot: number): Int32Array =>
    new Int32Array(memory.buffer, layout[slot]![0], layout[slot]![1]);
  const floats = (slot: number): Float64Array =>
    new Float64Array(memory.buffer, layout[slot]![0], layout[slot]![1]);
  const indptr = ints(slots.indptr);
  indptr.set(x.indptr.subarray(0, x.rows + 1));
  ints(slots.indices).set(x.indices.subarray(0, total));
  floats(slots.data).set(x.data.subarray(0, total));
  const rowSplits = ints(slots.rowSplits);
  const colSplits = ints(slots.colSplits);
  for (let p = 1, i = 0; p < PARTS; p++) {
    while (i < x.rows && indptr[i]! < (total * p) / PARTS) i++;
    rowSplits[p] = i;
    colSplits[p] = Math.floor((x.cols * p) / PARTS);
  }
  rowSplits[PARTS] = x.rows;
  colSplits[PARTS] = x.cols;
  const l1 = floats(slots.l1);
  l1[0] = l1W;
  l1[1] = l1H;
  return {
    memory,
    rows: x.rows,
    cols: x.cols,
    k,
    indptr,
    indices: ints(slots.indices),
    data: floats(slots.data),
    w: floats(slots.w),
    ht: floats(slots.ht),
    rowSplits,
    colSplits,
    l1,
    hht: floats(slots.hht),
    wtw: floats(slots.wtw),
    xtwParts: floats(slots.xtwParts),
    wtwParts: floats(slots.wtwParts),
    hhtParts: floats(slots.hhtParts),
    violations: floats(slots.violations),
    scratch: floats(slots.scratch),
    sketchWidth,
    sketchLeft: floats(slots.sketchLeft).subarray(0, x.rows * sketchWidth),
    xht: floats(slots.sketchLeft).subarray(0, x.rows * k),
    sketchRight: floats(slots.sketchRight),
    sketchRightParts: floats(slots.sketchRightParts),
  };
}

export function runPart(state: SweepState, task: SweepTask, part: number): void {
  if (task === "w") sweepWPart(state, part);
  else if (task === "h") sweepHPart(state, part);
  else if (task === "sketch") sketchPart(state, part);
  else if (task === "sketchTranspose") sketchTransposePart(state, part);
  else productPart(state, part);
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

/** The kernels over the state's memory, and the byte offsets of X's arrays in it. */
function kernelsOf(s: SweepState): { kernels: SparseKernels; indptr: number; indices: number; data: number } {
  return {
    kernels: sparseKernels(s.memory),
    indptr: s.indptr.byteOffset,
    indices: s.indices.byteOffset,
    data: s.data.byteOffset,
  };
}

function sketchPart(s: SweepState, part: number): void {
  const { kernels, indptr, indices, data } = kernelsOf(s);
  const r0 = s.rowSplits[part]!;
  const r1 = s.rowSplits[part + 1]!;
  kernels.gatherRows(
    indptr,
    indices,
    data,
    r0,
    r1,
    s.sketchRight.byteOffset,
    s.sketchWidth,
    s.sketchLeft.byteOffset,
  );
}

function productPart(s: SweepState, part: number): void {
  const { kernels, indptr, indices, data } = kernelsOf(s);
  const r0 = s.rowSplits[part]!;
  const r1 = s.rowSplits[part + 1]!;
  kernels.gatherRows(indptr, indices, data, r0, r1, s.ht.byteOffset, s.k, s.xht.byteOffset);
}

function sketchTransposePart(s: SweepState, part: number): void {
  const { kernels, indptr, indices, data } = kernelsOf(s);
  const { sketchWidth: width } = s;
  const out = s.sketchRightParts.subarray(part * s.cols * width, (part + 1) * s.cols * width);
  out.fill(0);
  const r0 = s.rowSplits[part]!;
  const r1 = s.rowSplits[part + 1]!;
  kernels.scatterRows(indptr, indices, data, r0, r1, s.sketchLeft.byteOffset, width, out.byteOffset);
}

/**
 * W half-step on this part's rows with H fixed: gathers (X·Hᵀ)ᵢ, updates Wᵢ as updateRow does, and
 * scatters Xᵢᵀ·Wᵢ and Wᵢᵀ·Wᵢ into the part's partials while the row is in cache; all in the
 * `sweepRows` kernel (sparse.wat), the iteration's hot loop.
 */
function sweepWPart(s: SweepState, part: number): void {
  const { k } = s;
  const { kernels, indptr, indices, data } = kernelsOf(s);
  const xh = s.scratch.subarray(2 * part * k, (2 * part + 1) * k);
  const gradient = s.scratch.subarray((2 * part + 1) * k, (2 * part + 2) * k);
  const xtw = s.xtwParts.subarray(part * s.cols * k, (part + 1) * s.cols * k);
  const wtw = s.wtwParts.subarray(part * k * k, (part + 1) * k * k);
  xtw.fill(0);
  wtw.fill(0);
  s.violations[part] = kernels.sweepRows(
    indptr,
    indices,
    data,
    s.rowSplits[part]!,
    s.rowSplits[part + 1]!,
    s.ht.byteOffset,
    k,
    s.w.byteOffset,
    s.hht.byteOffset,
    s.l1[0]!,
    xh.byteOffset,
    gradient.byteOffset,
    xtw.byteOffset,
    wtw.byteOffset,
  );
}

/**
 * H half-step on this part's rows of Hᵀ with W fixed: Xᵀ·W summed over the parts in part order,
 * then the update (updateRow's); also this part's share of the next iteration's Hᵀ-Gram (upper
 * triangle). In the `sweepColumns` kernel (sparse.wat).
 */
function sweepHPart(s: SweepState, part: number): void {
  const { k, cols } = s;
  const { kernels } = kernelsOf(s);
  const xw = s.scratch.subarray(2 * part * k, (2 * part + 1) * k);
  const gradient = s.scratch.subarray((2 * part + 1) * k, (2 * part + 2) * k);
  const hht = s.hhtParts.subarray(part * k * k, (part + 1) * k * k);
  hht.fill(0);
  s.violations[part] = kernels.sweepColumns(
    s.xtwParts.byteOffset,
    PARTS,
    cols * k * 8,
    s.colSplits[part]!,
    s.colSplits[part + 1]!,
    s.ht.byteOffset,
    k,
    s.wtw.byteOffset,
    s.l1[1]!,
    xw.byteOffset,
    gradient.byteOffset,
    hht.byteOffset,
  );
}

/** Hᵀ-Gram partials of every part (for the first iteration), computed like sweepHPart does. */
export function gramParts(s: SweepState): void {
  const { k, ht } = s;
  for (let part = 0; part < PARTS; part++) {
    const from = s.colSplits[part]!;
    const to = s.colSplits[part + 1]!;
    const hht = s.hhtParts.subarray(part * k * k, (part + 1) * k * k).fill(0);
    const rows = ht.subarray(from * k, to * k);
    upperCrossProduct(rows, rows, to - from, k, hht);
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
 * The gradient is formed once for the row and then updated by each step (G symmetric), rather than
 * recomputed per entry as scikit-learn does: the k dot products run side by side instead of as one
 * chain of dependent multiply-adds, 2× faster per row; the result differs only by rounding.
 * `gradient` is k entries of scratch.
 */
export function updateRow(
  f: Float64Array,
  row: number,
  k: number,
  g: Float64Array,
  product: Float64Array,
  productRow: number,
  gradient: Float64Array,
): number {
  for (let t = 0; t < k; t++) {
    const gt = t * k;
    let sum = -product[productRow + t]!;
    for (let r = 0; r < k; r++) sum += g[gt + r]! * f[row + r]!;
    gradient[t] = sum;
  }
  let violation = 0;
  for (let t = 0; t < k; t++) {
    const grad = gradient[t]!;
    const current = f[row + t]!;
    violation += Math.abs(current === 0 ? Math.min(0, grad) : grad);
    const gt = t * k;
    const hess = g[gt + t]!;
    if (hess === 0) continue;
    const next = Math.max(current - grad / hess, 0);
    const step = next - current;
    if (step === 0) continue;
    f[row + t] = next;
    for (let r = t + 1; r < k; r++) gradient[r]! += g[gt + r]! * step;
  }
  return violation;
}
