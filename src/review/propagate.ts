import { type Csr, transpose } from "../topics/csr.js";
import { runSteps, type Steps } from "../util/steps.js";

export interface LabelSpreadingOptions {
  /** Each ticket's graph neighbours: its most similar tickets (cosine of TF-IDF rows). */
  neighbours: number;
  /** Share of a ticket's score that comes from its neighbours; the rest is its own seed (Zhou et al.'s α). */
  alpha: number;
  /** Spreading steps (F ← αSF + (1−α)Y); α^iterations bounds what is left of the series. */
  iterations: number;
  /** A ticket takes its top class when that class holds at least this share of the score spread to it. */
  threshold: number;
}

export interface SpreadLabels {
  /** Per row: the seed's class, the class it took, or -1 (nothing reached it, or no class held the threshold). */
  labels: Int32Array;
  /** Rows that took a class (seeds not counted). */
  adopted: number;
}

/**
 * Label spreading (Zhou et al. 2004, "Learning with local and global consistency"; scikit-learn's
 * LabelSpreading with the knn kernel) on the tickets' k-nearest-neighbour graph: W links each row to
 * its `neighbours` most similar rows (cosine of the L2-normalised TF-IDF rows, ties to the lower row),
 * made symmetric (max(W, Wᵀ)); S = D^-½ W D^-½; F ← αSF + (1−α)Y from F = Y, the seeds' one-hot
 * classes. F approximates (1−α)(I − αS)⁻¹Y: each class's score at a row is its seeds' weight along
 * the graph's paths, shrunk by α per step. An unlabelled row takes its top class when that class holds
 * at least `threshold` of the row's total score; seeds keep theirs.
 *
 * Why the graph rather than self-training of the router's own model: on few labels per class, the
 * rows a logistic regression is already sure of teach it nothing new (a refit on them moves macro-F1
 * by ±0.005 on banking77), while neighbours in the TF-IDF space carry a class to paraphrases the
 * model is not sure of. Deterministic: neighbours and sums are visited in row order.
 */
export function spreadLabels(x: Csr, seeds: Int32Array, options: LabelSpreadingOptions): SpreadLabels {
  return spreadOnGraph(neighbourGraph(x, options.neighbours), seeds, options);
}

/**
 * spreadLabels on a graph built once by neighbourGraph (the graph is the costly part: one sparse
 * similarity pass; cross-validation spreads several seed sets over the same graph).
 */
export function spreadOnGraph(graph: Csr, seeds: Int32Array, options: LabelSpreadingOptions): SpreadLabels {
  if (seeds.length !== graph.rows) throw new RangeError(`${seeds.length} seeds for ${graph.rows} rows`);
  const labels = Int32Array.from(seeds);
  const classes = [...new Set(Array.from(seeds).filter((c) => c >= 0))].sort((a, b) => a - b);
  // With one seed class every reached row would take it: nothing can be told apart.
  if (classes.length < 2 || options.iterations <= 0) return { labels, adopted: 0 };
  const index = new Map(classes.map((c, k) => [c, k]));
  const K = classes.length;
  const n = graph.rows;
  const y = new Float64Array(n * K);
  for (let i = 0; i < n; i++) if (seeds[i]! >= 0) y[i * K + index.get(seeds[i]!)!] = 1;
  let f = Float64Array.from(y);
  let next = new Float64Array(n * K);
  for (let step = 0; step < options.iterations; step++) {
    for (let i = 0; i < n; i++) {
      const row = i * K;
      for (let k = 0; k < K; k++) next[row + k] = (1 - options.alpha) * y[row + k]!;
      for (let p = graph.indptr[i]!; p < graph.indptr[i + 1]!; p++) {
        const w = options.alpha * graph.data[p]!;
        const from = graph.indices[p]! * K;
        for (let k = 0; k < K; k++) next[row + k]! += w * f[from + k]!;
      }
    }
    [f, next] = [next, f];
  }
  let adopted = 0;
  for (let i = 0; i < n; i++) {
    if (seeds[i]! >= 0) continue;
    let best = 0;
    let total = 0;
    for (let k = 0; k < K; k++) {
      total += f[i * K + k]!;
      if (f[i * K + k]! > f[i * K + best]!) best = k;
    }
    if (total > 0 && f[i * K + best]! >= options.threshold * total) {
      labels[i] = classes[best]!;
      adopted++;
    }
  }
  return { labels, adopted };
}

/** S = D^-½ W D^-½ of the symmetric k-nearest-neighbour graph W of x's rows (cosine similarities as weights). */
export function neighbourGraph(x: Csr, neighbours: number): Csr {
  return runSteps(neighbourGraphSteps(x, neighbours));
}

/** Rows whose neighbours are found between two pauses of neighbourGraphSteps. */
const graphRowsPerStep = 64;

/** neighbourGraph, pausing every few rows' neighbour search (src/util/steps.ts): train stops there on a signal. */
export function* neighbourGraphSteps(x: Csr, neighbours: number): Steps<Csr> {
  const n = x.rows;
  const byTerm = transpose(x);
  const score = new Float64Array(n);
  const touched: number[] = [];
  // Edges (i, j, similarity), each kept in both directions so W is symmetric.
  const edges = new Map<number, Map<number, number>>();
  const link = (i: number, j: number, s: number) => {
    const row = edges.get(i) ?? new Map<number, number>();
    row.set(j, Math.max(row.get(j) ?? 0, s));
    edges.set(i, row);
  };
  for (let i = 0; i < n; i++) {
    if (i % graphRowsPerStep === 0) yield;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) {
      const v = x.data[p]!;
      const term = x.indices[p]!;
      for (let q = byTerm.indptr[term]!; q < byTerm.indptr[term + 1]!; q++) {
        const j = byTerm.indices[q]!;
        if (j === i) continue;
        if (score[j] === 0) touched.push(j);
        score[j]! += v * byTerm.data[q]!;
      }
    }
    for (const j of nearest(touched, score, neighbours)) {
      link(i, j, score[j]!);
      link(j, i, score[j]!);
    }
    for (const j of touched) score[j] = 0;
    touched.length = 0;
  }
  const degree = new Float64Array(n);
  for (const [i, row] of edges) for (const s of row.values()) degree[i]! += s;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i]! + (edges.get(i)?.size ?? 0);
  const indices = new Int32Array(indptr[n]!);
  const data = new Float64Array(indptr[n]!);
  for (let i = 0; i < n; i++) {
    const row = [...(edges.get(i) ?? [])].sort((a, b) => a[0] - b[0]);
    row.forEach(([j, s], at) => {
      indices[indptr[i]! + at] = j;
      data[indptr[i]! + at] = s / Math.sqrt(degree[i]! * degree[j]!);
    });
  }
  return { rows: n, cols: n, indptr, indices, data };
}

/** The `k` rows of `candidates` with the highest positive score, ties to the lower row. */
function nearest(candidates: readonly number[], score: Float64Array, k: number): number[] {
  const kept: number[] = [];
  const before = (a: number, b: number) => score[a]! > score[b]! || (score[a] === score[b] && a < b);
  for (const j of candidates) {
    if (!(score[j]! > 0)) continue;
    if (kept.length === k && !before(j, kept[k - 1]!)) continue;
    let at = kept.length;
    while (at > 0 && before(j, kept[at - 1]!)) at--;
    kept.splice(at, 0, j);
    if (kept.length > k) kept.pop();
  }
  return kept;
}
