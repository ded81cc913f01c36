/**
 * Compressed sparse row matrix: the one sparse layout shared by TF-IDF, NMF and the classifier.
 * Row i's non-zeros are indices[indptr[i] .. indptr[i+1]) with values in data at the same positions;
 * column indices within a row are sorted ascending.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

/** Number of stored non-zeros. */
export function nnz(m: Csr): number {
  return m.indptr[m.rows]!;
}

/** A new CSR holding only the given rows, in the given order. */
export function selectRows(m: Csr, rows: ArrayLike<number>): Csr {
  let total = 0;
  for (let k = 0; k < rows.length; k++) total += m.indptr[rows[k]! + 1]! - m.indptr[rows[k]!]!;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(total);
  const data = new Float64Array(total);
  let at = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    indices.set(m.indices.subarray(start, end), at);
    data.set(m.data.subarray(start, end), at);
    at += end - start;
    indptr[k + 1] = at;
  }
  return { rows: rows.length, cols: m.cols, indptr, indices, data };
}

/** Xᵀ as a new CSR (counting sort by column), so its column indices come out sorted per row. */
export function transpose(m: Csr): Csr {
  const total = nnz(m);
  const indptr = new Int32Array(m.cols + 1);
  for (let p = 0; p < total; p++) indptr[m.indices[p]! + 1]!++;
  for (let j = 0; j < m.cols; j++) indptr[j + 1]! += indptr[j]!;
  const next = indptr.slice(0, m.cols);
  const indices = new Int32Array(total);
  const data = new Float64Array(total);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) {
      const at = next[m.indices[p]!]!++;
      indices[at] = i;
      data[at] = m.data[p]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}

/** out (rows×k, row-major) = m · dense, where dense is cols×k row-major. */
export function multiplyDense(m: Csr, dense: Float64Array, k: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < m.rows; i++) {
    const row = i * k;
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) {
      const v = m.data[p]!;
      const from = m.indices[p]! * k;
      for (let c = 0; c < k; c++) out[row + c]! += v * dense[from + c]!;
    }
  }
  return out;
}

/** out (cols×k, row-major) = mᵀ · dense, where dense is rows×k row-major; a scatter, no transpose built. */
export function multiplyTransposeDense(
  m: Csr,
  dense: Float64Array,
  k: number,
  out: Float64Array,
): Float64Array {
  out.fill(0);
  for (let i = 0; i < m.rows; i++) {
    const from = i * k;
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) {
      const v = m.data[p]!;
      const to = m.indices[p]! * k;
      for (let c = 0; c < k; c++) out[to + c]! += v * dense[from + c]!;
    }
  }
  return out;
}

/** Sum of squared stored values (‖m‖²_F). */
export function squaredNorm(m: Csr): number {
  let sum = 0;
  const total = nnz(m);
  for (let p = 0; p < total; p++) sum += m.data[p]! * m.data[p]!;
  return sum;
}
