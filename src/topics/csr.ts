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
