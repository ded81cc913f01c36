/**
 * Term counting for TF-IDF without a string per n-gram occurrence: tokens are interned once, an
 * n-gram is the pair (gram id of its first n−1 tokens, id of its last token) in an integer hash
 * table, and its text ("a b", joined by one space as sklearn does) is built the first time that pair
 * is seen. Counts go into flat typed arrays, so 100k documents cost the distinct terms plus a few
 * arrays, with no per-token objects.
 */

/** A term's text → its output id (a new term id, or a vocabulary column); −1 = not counted. */
export type TermResolver = (term: string) => number;

const UNRESOLVED = -2;

/**
 * Gram ids for the n-grams of token lists: every distinct token sequence gets one gram id (a
 * unigram's is its token's). A gram's text is resolved to a term once, when first counted; two
 * sequences with the same text (a token holding a space) resolve to the same term, as sklearn's
 * string keys would.
 */
export class NgramIndex {
  private readonly tokenIds = new Map<string, number>();
  private readonly texts: string[] = [];
  private termOf = new Int32Array(1024);
  private readonly pairs = new PairTable();
  private unigrams = new Int32Array(256);
  private levelA = new Int32Array(256);
  private levelB = new Int32Array(256);

  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly resolve: TermResolver,
  ) {}

  /** Adds every n-gram of tokens (n in [min, max]) to the counter's current document. */
  countDocument(tokens: readonly string[], counter: TermCounter): void {
    const count = tokens.length;
    if (count > this.unigrams.length) {
      this.unigrams = new Int32Array(count * 2);
      this.levelA = new Int32Array(count * 2);
      this.levelB = new Int32Array(count * 2);
    }
    const unigrams = this.unigrams;
    for (let i = 0; i < count; i++) unigrams[i] = this.tokenGram(tokens[i]!);
    if (this.min === 1) for (let i = 0; i < count; i++) this.count(unigrams[i]!, counter);
    let level = unigrams;
    let next = this.levelA;
    const last = Math.min(this.max, count);
    for (let n = 2; n <= last; n++) {
      // The n-gram at i is the (n−1)-gram at i followed by token i+n−1.
      for (let i = 0; i + n <= count; i++) next[i] = this.extend(level[i]!, unigrams[i + n - 1]!);
      if (n >= this.min) for (let i = 0; i + n <= count; i++) this.count(next[i]!, counter);
      level = next;
      next = next === this.levelA ? this.levelB : this.levelA;
    }
  }

  private count(gram: number, counter: TermCounter): void {
    let term = this.termOf[gram]!;
    if (term === UNRESOLVED) {
      term = this.resolve(this.texts[gram]!);
      this.termOf[gram] = term;
    }
    if (term >= 0) counter.add(term);
  }

  private tokenGram(token: string): number {
    const id = this.tokenIds.get(token);
    if (id !== undefined) return id;
    const gram = this.newGram(token);
    this.tokenIds.set(token, gram);
    return gram;
  }

  private extend(prefix: number, token: number): number {
    const found = this.pairs.get(prefix, token);
    if (found >= 0) return found;
    const gram = this.newGram(`${this.texts[prefix]!} ${this.texts[token]!}`);
    this.pairs.set(prefix, token, gram);
    return gram;
  }

  private newGram(text: string): number {
    const gram = this.texts.length;
    this.texts.push(text);
    if (gram === this.termOf.length) this.termOf = grow(this.termOf, gram * 2, UNRESOLVED);
    else this.termOf[gram] = UNRESOLVED;
    return gram;
  }
}

/** Open-addressing hash map (int, int) → non-negative int, on typed arrays. */
class PairTable {
  private mask = (1 << 12) - 1;
  private firsts = new Int32Array(this.mask + 1);
  private seconds = new Int32Array(this.mask + 1);
  private values = new Int32Array(this.mask + 1).fill(-1);
  private size = 0;

  /** The value stored for (a, b), or −1. */
  get(a: number, b: number): number {
    let slot = hashPair(a, b) & this.mask;
    for (;;) {
      const value = this.values[slot]!;
      if (value < 0 || (this.firsts[slot] === a && this.seconds[slot] === b)) return value;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores a new key (the caller has checked it is absent). */
  set(a: number, b: number, value: number): void {
    if (2 * (this.size + 1) > this.mask + 1) this.rehash();
    this.insert(a, b, value);
    this.size++;
  }

  private insert(a: number, b: number, value: number): void {
    let slot = hashPair(a, b) & this.mask;
    while (this.values[slot]! >= 0) slot = (slot + 1) & this.mask;
    this.firsts[slot] = a;
    this.seconds[slot] = b;
    this.values[slot] = value;
  }

  private rehash(): void {
    const { firsts, seconds, values } = this;
    this.mask = this.mask * 2 + 1;
    this.firsts = new Int32Array(this.mask + 1);
    this.seconds = new Int32Array(this.mask + 1);
    this.values = new Int32Array(this.mask + 1).fill(-1);
    for (let slot = 0; slot < values.length; slot++) {
      if (values[slot]! >= 0) this.insert(firsts[slot]!, seconds[slot]!, values[slot]!);
    }
  }
}

function hashPair(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  return h ^ (h >>> 15);
}

/**
 * Per-document term counts: a dense tally with a list of the terms touched, flushed at the end of
 * each document into document frequencies, corpus totals and (optionally) the rows themselves as
 * (term, count) runs in first-seen order.
 */
export class TermCounter {
  rows = 0;
  /** Row i's runs are at [indptr[i], indptr[i+1]) of terms/counts (when rows are kept). */
  indptr = new Int32Array(1024);
  terms = new Int32Array(4096);
  counts = new Int32Array(4096);
  /** Per term: documents holding it, and occurrences in the corpus. */
  df = new Int32Array(1024);
  totals = new Float64Array(1024);
  private tally = new Int32Array(1024);
  private touched = new Int32Array(256);
  private pending = 0;
  private length = 0;

  constructor(private readonly keepRows: boolean) {}

  /** Adds one occurrence of a term to the current document. */
  add(term: number): void {
    if (term >= this.tally.length) this.growTerms(term + 1);
    if (this.tally[term]!++ === 0) {
      if (this.pending === this.touched.length) this.touched = grow(this.touched, this.pending * 2, 0);
      this.touched[this.pending++] = term;
    }
  }

  /** Closes the current document. */
  endDocument(): void {
    const { touched, tally, df, totals } = this;
    if (this.keepRows && this.length + this.pending > this.terms.length) {
      const size = Math.max(this.terms.length * 2, this.length + this.pending);
      this.terms = grow(this.terms, size, 0);
      this.counts = grow(this.counts, size, 0);
    }
    for (let p = 0; p < this.pending; p++) {
      const term = touched[p]!;
      const count = tally[term]!;
      tally[term] = 0;
      df[term]!++;
      totals[term]! += count;
      if (this.keepRows) {
        this.terms[this.length] = term;
        this.counts[this.length++] = count;
      }
    }
    this.pending = 0;
    if (this.rows + 2 > this.indptr.length) this.indptr = grow(this.indptr, this.indptr.length * 2, 0);
    this.rows++;
    this.indptr[this.rows] = this.length;
  }

  private growTerms(needed: number): void {
    const size = Math.max(needed, this.tally.length * 2);
    this.tally = grow(this.tally, size, 0);
    this.df = grow(this.df, size, 0);
    const totals = new Float64Array(size);
    totals.set(this.totals);
    this.totals = totals;
  }
}

function grow(a: Int32Array, size: number, fill: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
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
