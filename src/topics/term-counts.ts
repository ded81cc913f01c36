/**
 * Term counting for TF-IDF: per document, n-gram term ids counted into growable typed arrays, so
 * 100k documents cost a Map of distinct terms plus a few flat arrays (no per-token objects).
 */

/** Calls visit(term) for every n-gram of the tokens, n in [min, max], joined by one space (sklearn). */
export function forEachNgram(
  tokens: readonly string[],
  min: number,
  max: number,
  visit: (term: string) => void,
): void {
  const count = tokens.length;
  for (let n = min; n <= Math.min(max, count); n++) {
    for (let i = 0; i + n <= count; i++) {
      if (n === 1) {
        visit(tokens[i]!);
        continue;
      }
      let term = tokens[i]!;
      for (let j = i + 1; j < i + n; j++) term += ` ${tokens[j]!}`;
      visit(term);
    }
  }
}

/** Counts per document as (term id, count) runs with ids ascending; a CSR under construction. */
export class CountMatrixBuilder {
  rows = 0;
  indptr = new Int32Array(1024);
  indices = new Int32Array(4096);
  counts = new Float64Array(4096);
  private length = 0;
  private ids = new Int32Array(256);
  private pending = 0;

  /** Adds one occurrence of a term id to the current document. */
  add(id: number): void {
    if (this.pending === this.ids.length) this.ids = grow(this.ids, this.pending * 2);
    this.ids[this.pending++] = id;
  }

  /** Closes the current document: sorts its ids and stores run lengths. */
  endDocument(): void {
    const ids = this.ids.subarray(0, this.pending).sort();
    if (this.length + this.pending > this.indices.length) {
      const size = Math.max(this.indices.length * 2, this.length + this.pending);
      this.indices = grow(this.indices, size);
      this.counts = growFloat(this.counts, size);
    }
    let p = 0;
    while (p < ids.length) {
      const id = ids[p]!;
      let q = p + 1;
      while (q < ids.length && ids[q] === id) q++;
      this.indices[this.length] = id;
      this.counts[this.length] = q - p;
      this.length++;
      p = q;
    }
    this.pending = 0;
    if (this.rows + 2 > this.indptr.length) this.indptr = grow(this.indptr, this.indptr.length * 2);
    this.rows++;
    this.indptr[this.rows] = this.length;
  }

  get nnz(): number {
    return this.length;
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}

function growFloat(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(size);
  out.set(a);
  return out;
}

/**
 * Orders strings by Unicode code point, as Python compares str (JavaScript's < compares UTF-16 code
 * units, which differs for characters above U+FFFF against U+E000–U+FFFF).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
