import { Rng } from "../util/random.js";
import { npmiCoherence } from "./coherence.js";
import { type Csr, selectRows } from "./csr.js";
import { assignMinCost } from "./hungarian.js";
import { fitNmf, type NmfOptions } from "./nmf.js";
import { rowCosines, topTermIndices } from "./topic-terms.js";

export interface SelectKOptions {
  /** Candidate numbers of topics; default 4..16. */
  readonly candidates?: readonly number[];
  /** NMF settings other than k (tol, maxIter, init, seed, regularization). */
  readonly nmf?: Omit<NmfOptions, "k">;
  /** Top terms per topic for coherence; default 10. */
  readonly topTerms?: number;
  /** Seed of the split into halves; default 0. */
  readonly seed?: number;
  /** Rows per half at most (a seeded sample beyond that keeps the search affordable); default 5000. */
  readonly halfRows?: number;
  /** Stabilities within this fraction of the best count as tied; default 0.03. */
  readonly tieTolerance?: number;
}

export interface KScore {
  readonly k: number;
  /** Mean cosine of optimally matched topics between fits on two disjoint random halves: the criterion. */
  readonly stability: number;
  /** Mean NPMI of the first half's topics' top terms (reported, not scored: it falls with k on short texts). */
  readonly coherence: number;
  /** The selection score: the stability. */
  readonly score: number;
}

export interface KSelection {
  readonly k: number;
  readonly rule: string;
  readonly curve: KScore[];
  /** The choice sits at the smallest or largest candidate: the grain may lie beyond the range tried. */
  readonly atEdge: "smallest" | "largest" | null;
}

/**
 * Topics that reappear when the data changes are real; merged or split ones are not. Merged topics
 * stay fairly stable, so near-ties go to the larger k. Coherence is not in the score: NPMI over short
 * texts falls with k whatever the grain (measured on the panel, docs/quality.md).
 */
export const SELECT_K_RULE =
  "highest stability (mean cosine of matched topics fitted on two disjoint random halves); stabilities within " +
  "the tie tolerance (default 3%) of the best are tied, and the largest tied k wins";

/**
 * Chooses the number of topics: for every candidate k, fits NMF on two disjoint random halves of the
 * documents (each at most `halfRows`) and scores how well their topics match, then applies
 * SELECT_K_RULE. Two half fits cost about one fit on all documents, so the whole search costs about a
 * fit per candidate on the sample. Returns the whole curve.
 */
export function selectK(x: Csr, options: SelectKOptions = {}): KSelection {
  const candidates = [...(options.candidates ?? range(4, 16))].sort((a, b) => a - b);
  const halfRows = Math.min(x.rows >> 1, options.halfRows ?? 5000);
  const maxK = Math.min(halfRows, x.cols);
  const usable = candidates.filter((k) => k >= 1 && k <= maxK);
  if (usable.length === 0) throw new RangeError(`no candidate k fits a ${x.rows}×${x.cols} matrix`);
  const order = new Rng(options.seed ?? 0).shuffle(Array.from({ length: x.rows }, (_, i) => i));
  const half = (from: number) =>
    selectRows(
      x,
      order.slice(from, from + halfRows).sort((a, b) => a - b),
    );
  const first = half(0);
  const second = half(halfRows);
  const topTerms = options.topTerms ?? 10;
  const curve = usable.map((k): KScore => {
    const a = fitNmf(first, { ...options.nmf, k }).h;
    const tops = Array.from({ length: k }, (_, t) => topTermIndices(a, x.cols, t, topTerms));
    const stability = matchedCosine(a, fitNmf(second, { ...options.nmf, k }).h, k, x.cols);
    return { k, stability, coherence: mean(npmiCoherence(first, tops)), score: stability };
  });
  const bestScore = Math.max(...curve.map((c) => c.score));
  const tolerance = options.tieTolerance ?? 0.1;
  const tied = curve.filter((c) => c.score >= bestScore - tolerance * Math.abs(bestScore));
  const k = tied[tied.length - 1]!.k;
  const atEdge =
    usable.length < 2 ? null : k === usable[0] ? "smallest" : k === usable.at(-1) ? "largest" : null;
  return { k, rule: SELECT_K_RULE, curve, atEdge };
}

/**
 * The k relabel tries by default: a geometric grid (×√2: 8, 11, 16, 23, 32, 45, 64, 91, 128, ...) from
 * kMin to kMax, so the search spans the grain of a corpus of 8 groups and one of 150 at a cost that
 * grows with the largest k, not with the number of candidates.
 */
export function kGrid(kMin: number, kMax: number): number[] {
  const grid: number[] = [];
  for (let i = 0; ; i++) {
    const k = Math.round(kMin * Math.SQRT2 ** i);
    if (k > kMax) break;
    if (k !== grid.at(-1)) grid.push(k);
  }
  return grid;
}

/** Default largest k: about 40 tickets per topic, so a topic is a pattern and not a handful of tickets. */
export function defaultKMax(rows: number, kMin: number): number {
  return Math.max(kMin, Math.min(256, Math.floor(rows / 40)));
}

/** Mean cosine of the optimal one-to-one matching between the topics of two fits. */
function matchedCosine(a: Float64Array, b: Float64Array, k: number, cols: number): number {
  const cosines = rowCosines(a, k, b, k, cols);
  const assignment = assignMinCost(
    cosines.map((c) => -c),
    k,
    k,
  );
  let sum = 0;
  for (let t = 0; t < k; t++) sum += cosines[t * k + assignment[t]!]!;
  return sum / k;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : 0;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
