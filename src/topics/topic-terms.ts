/** Helpers over topic–term matrices H (k×cols, row-major). */

/** Column indices of topic t's n largest weights, descending (ties: lower column first); zeros excluded. */
export function topTermIndices(h: Float64Array, cols: number, topic: number, n: number): Int32Array {
  const base = topic * cols;
  const best = new Int32Array(Math.min(n, cols));
  let size = 0;
  // Insertion into a short sorted list: n is small (≈10) and cols large, so this beats sorting.
  for (let j = 0; j < cols; j++) {
    const value = h[base + j]!;
    if (value <= 0) continue;
    if (size === best.length && value <= h[base + best[size - 1]!]!) continue;
    let at = size < best.length ? size++ : size - 1;
    while (at > 0 && h[base + best[at - 1]!]! < value) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = j;
  }
  return best.slice(0, size);
}

/** Cosine similarity of every row of A (ka×cols) with every row of B (kb×cols): ka×kb row-major. */
export function rowCosines(
  a: Float64Array,
  ka: number,
  b: Float64Array,
  kb: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(ka * kb);
  const normA = rowNorms(a, ka, cols);
  const normB = rowNorms(b, kb, cols);
  for (let i = 0; i < ka; i++) {
    for (let j = 0; j < kb; j++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += a[i * cols + c]! * b[j * cols + c]!;
      const denominator = normA[i]! * normB[j]!;
      out[i * kb + j] = denominator > 0 ? dot / denominator : 0;
    }
  }
  return out;
}

export function rowNorms(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += a[i * cols + c]! * a[i * cols + c]!;
    out[i] = Math.sqrt(sum);
  }
  return out;
}
