import { gram } from "../linalg/dense.js";
import { type Csr, multiplyDense, transpose } from "../topics/csr.js";
import { fitTransformTfidf, type TokenizedDocs } from "../topics/tfidf.js";
import { runSteps, type Steps } from "../util/steps.js";

/**
 * How much of each document the topic model leaves unexplained: the relative reconstruction
 * residual ‖xᵢ − wᵢ·H‖² / ‖xᵢ‖² of its TF-IDF row, in [0, 1] for the least-squares W of NMF's
 * transform. A document with no known term (‖xᵢ‖ = 0) is wholly unexplained: 1.
 */
export function relativeResiduals(x: Csr, w: Float64Array, h: Float64Array, k: number): Float64Array {
  const ht = new Float64Array(h.length);
  for (let t = 0; t < k; t++) for (let j = 0; j < x.cols; j++) ht[j * k + t] = h[t * x.cols + j]!;
  const xht = multiplyDense(x, ht, k, new Float64Array(x.rows * k));
  const hht = gram(ht, x.cols, k, new Float64Array(k * k));
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let norm = 0;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) norm += x.data[p]! * x.data[p]!;
    if (norm === 0) {
      out[i] = 1;
      continue;
    }
    let cross = 0;
    let explained = 0;
    for (let a = 0; a < k; a++) {
      const wa = w[i * k + a]!;
      if (wa === 0) continue;
      cross += wa * xht[i * k + a]!;
      for (let b = 0; b < k; b++) explained += wa * w[i * k + b]! * hht[a * k + b]!;
    }
    out[i] = Math.min(1, Math.max(0, (norm - 2 * cross + explained) / norm));
  }
  return out;
}

export interface NeighbourhoodOptions {
  /** Nearest neighbours each ticket is compared through (more when tied at the k-th similarity). */
  neighbours: number;
  /** A ticket whose neighbourhood z-score is at least this is novel. */
  minZ: number;
  /**
   * At most this many tickets of each set (evenly spaced through it) are compared, and the current
   * ones among them tested: a run's cost is then bounded whatever its size, where testing every ticket
   * against every other grew with the square (a 100k-ticket run against a 100k-ticket model did not
   * end) and testing every ticket against the capped sets still cost ~1 ms per ticket of a large run.
   * Both sets are subsampled alike, so the expectation n·p keeps its meaning; below the cap nothing
   * changes. Above it, the novel tickets are those of the tested sample (the pool keeps 20,000 at most).
   */
  maxCompared: number;
}

export interface Neighbourhoods {
  /** Per current ticket: binomial z of its neighbours from this run (0 for a ticket with no known term or not tested). */
  z: Float64Array;
  /** How many tickets of each set were compared; the current ones compared are those tested. */
  compared: { reference: number; current: number };
  /** Current tickets with z ≥ minZ. */
  novel: number[];
  /** Reference tickets among the novel tickets' neighbours, ascending: what the reference has of their kinds. */
  referenceNeighbours: number[];
}

/**
 * Is a ticket's kind more frequent now than in the reference (the topic model's training tickets)?
 * A two-sample nearest-neighbour test (Schilling 1986) per ticket: TF-IDF rows (fitted on both sets,
 * every term) compared by cosine; among a ticket's `neighbours` most similar other tickets of both sets
 * (all of them when tied at the k-th similarity), the count m from this run against the binomial
 * expectation n·p, p = current / (reference + current): z = (m − n·p) / √(n·p·(1 − p)). A kind the
 * reference had at the same rate scores about 0 whatever the topic model makes of it; a kind that is
 * new, or now much more frequent, scores high — also when it shares every term with a known kind, as
 * short queries with one or two nouns do.
 */
export function neighbourhoodNovelty(
  reference: TokenizedDocs,
  current: TokenizedDocs,
  options: NeighbourhoodOptions,
): Neighbourhoods {
  return runSteps(neighbourhoodNoveltySteps(reference, current, options));
}

/** Tickets tested between two pauses of neighbourhoodNoveltySteps (~1 ms each on 20,000 + 20,000 compared). */
const testedPerStep = 32;

/** neighbourhoodNovelty, pausing every few tickets tested (src/util/steps.ts): label stops there on a signal. */
export function* neighbourhoodNoveltySteps(
  reference: TokenizedDocs,
  current: TokenizedDocs,
  options: NeighbourhoodOptions,
): Steps<Neighbourhoods> {
  const z = new Float64Array(current.length);
  const novel: number[] = [];
  const near = new Set<number>();
  const referenceKept = evenlySpaced(reference.length, options.maxCompared);
  const currentKept = evenlySpaced(current.length, options.maxCompared);
  const none = { z, novel, referenceNeighbours: [], compared: { reference: 0, current: 0 } };
  if (current.length === 0) return none;
  // The tickets compared: the kept reference (rows 0…r−1 of x), then the kept current tickets.
  let compared: Csr;
  try {
    compared = fitTransformTfidf(
      [...referenceKept.map((i) => reference[i]!), ...currentKept.map((q) => current[q]!)],
      { minDf: 1, maxDf: 1, maxFeatures: null },
    ).matrix;
  } catch (error) {
    if (error instanceof RangeError) return none;
    throw error;
  }
  const offset = referenceKept.length;
  const p = currentKept.length / (offset + currentKept.length);
  const byColumn = transpose(compared);
  // Typed arrays held in locals: the posting loop below is the whole cost of the test.
  const { indptr: postingsAt, indices: postingRows, data: postingWeights } = byColumn;
  const { indptr: rowAt, indices: terms, data: weights } = compared;
  const similarity = new Float64Array(compared.rows);
  const candidates = new Float64Array(compared.rows);
  const touchedRows = new Int32Array(compared.rows);
  for (let i = 0; i < currentKept.length; i++) {
    if (i % testedPerStep === 0) yield;
    const q = currentKept[i]!;
    const own = offset + i;
    let touchedCount = 0;
    // Each compared ticket's products summed in column order, as a sparse dot product would.
    for (let a = rowAt[own]!; a < rowAt[own + 1]!; a++) {
      const col = terms[a]!;
      const weight = weights[a]!;
      const end = postingsAt[col + 1]!;
      for (let b = postingsAt[col]!; b < end; b++) {
        const other = postingRows[b]!;
        const sum = similarity[other]!;
        if (sum === 0) touchedRows[touchedCount++] = other;
        similarity[other] = sum + weight * postingWeights[b]!;
      }
    }
    let count = 0;
    for (let t = 0; t < touchedCount; t++) {
      const other = touchedRows[t]!;
      if (other !== own) candidates[count++] = similarity[other]!;
    }
    if (count > 0) {
      const kth = kthLargest(candidates.subarray(0, count), Math.min(options.neighbours, count)) - 1e-9;
      let n = 0;
      let m = 0;
      for (let t = 0; t < touchedCount; t++) {
        const other = touchedRows[t]!;
        if (other === own || similarity[other]! < kth) continue;
        n++;
        if (other >= offset) m++;
      }
      z[q] = (m - n * p) / Math.sqrt(n * p * (1 - p));
      if (z[q]! >= options.minZ) {
        novel.push(q);
        for (let t = 0; t < touchedCount; t++) {
          const other = touchedRows[t]!;
          if (other < offset && similarity[other]! >= kth) near.add(referenceKept[other]!);
        }
      }
    }
    for (let t = 0; t < touchedCount; t++) similarity[touchedRows[t]!] = 0;
  }
  return {
    z,
    novel,
    referenceNeighbours: [...near].sort((a, b) => a - b),
    compared: { reference: offset, current: currentKept.length },
  };
}

/** `count` indices spread evenly over 0…length−1 (all of them, in order, when length ≤ count). */
function evenlySpaced(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * length) / count));
}

/** The k-th largest value (k ≥ 1) by quickselect (Hoare); reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}
