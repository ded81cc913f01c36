import type { Csr } from "./csr.js";

/**
 * NPMI topic coherence (Bouma 2009; Röder et al. 2015) over document co-occurrence in X's binary
 * pattern: per topic, the mean over pairs of its top terms of ln(p(a,b) / (p(a)·p(b))) / −ln p(a,b),
 * with −1 for pairs that never co-occur. In [−1, 1]; higher = top terms appear in the same documents.
 */
export function npmiCoherence(x: Csr, topics: readonly Int32Array[]): Float64Array {
  const slot = new Int32Array(x.cols).fill(-1);
  const columns: number[] = [];
  for (const terms of topics) {
    for (const j of terms) {
      if (slot[j] === -1) {
        slot[j] = columns.length;
        columns.push(j);
      }
    }
  }
  const s = columns.length;
  const df = new Float64Array(s);
  const together = new Float64Array(s * s);
  const present = new Int32Array(s);
  for (let i = 0; i < x.rows; i++) {
    let count = 0;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) {
      const at = slot[x.indices[p]!]!;
      if (at >= 0 && x.data[p] !== 0) present[count++] = at;
    }
    for (let a = 0; a < count; a++) {
      df[present[a]!]!++;
      for (let b = a + 1; b < count; b++) {
        together[present[a]! * s + present[b]!]!++;
        together[present[b]! * s + present[a]!]!++;
      }
    }
  }
  const n = x.rows;
  return Float64Array.from(topics, (terms) => {
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < terms.length; a++) {
      for (let b = a + 1; b < terms.length; b++) {
        const sa = slot[terms[a]!]!;
        const sb = slot[terms[b]!]!;
        sum += npmi(df[sa]! / n, df[sb]! / n, together[sa * s + sb]! / n);
        pairs++;
      }
    }
    return pairs > 0 ? sum / pairs : 0;
  });
}

function npmi(pa: number, pb: number, pab: number): number {
  if (pab === 0) return -1;
  if (pab === 1) return 1;
  return Math.log(pab / (pa * pb)) / -Math.log(pab);
}
