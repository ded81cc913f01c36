import { Rng } from "../util/random.js";
import { runSteps, type Steps } from "../util/steps.js";
import { npmiCoherence } from "./coherence.js";
import { type Csr, selectRows } from "./csr.js";
import { assignMinCost } from "./hungarian.js";
import { fitNmfSteps, type NmfOptions } from "./nmf.js";
import { rowCosines, topTermIndices } from "./topic-terms.js";

export interface SelectKOptions {
  /**
   * Candidate numbers of topics, each scored; default: a coarse-to-fine search over `kGrid` of
   * `range` (4..16 when no range is given either).
   */
  readonly candidates?: readonly number[];
  /** The range a coarse-to-fine search covers (ignored when candidates are given). */
  readonly range?: { readonly min: number; readonly max: number };
  /** NMF settings other than k (init, seed, regularization; tol is the search's own, see searchTol). */
  readonly nmf?: Omit<NmfOptions, "k">;
  /** Top terms per topic for coherence; default 10. */
  readonly topTerms?: number;
  /** Seed of the split into halves; default 0. */
  readonly seed?: number;
  /** Rows per half at most (a seeded sample beyond that keeps the search affordable); default 4000. */
  readonly halfRows?: number;
  /**
   * NMF tolerance of the search's fits; default 1e-3 (ten times the final fit's default): matching
   * topics needs their terms, not the last digits of the loss (18–125 iterations per fit on the panel).
   */
  readonly searchTol?: number;
  /** Stabilities within this fraction of the best count as tied; default STABILITY_TOLERANCE. */
  readonly tolerance?: number;
  /** Called as each k is scored: the search takes minutes on a large corpus, and a person watches it. */
  readonly onScored?: (score: KScore, scoredSoFar: number) => void;
}

export interface KScore {
  readonly k: number;
  /** Mean cosine of optimally matched topics between fits on two disjoint random halves: the criterion. */
  readonly stability: number;
  /**
   * Standard error of that mean (standard deviation of the matched cosines over √k): a mean of a few broad
   * topics moves with the draw of the halves as much as this says (docs/quality.md, fifth round).
   */
  readonly standardError: number;
  /** Mean NPMI of the first half's topics' top terms (reported, not scored: it falls with k on short texts). */
  readonly coherence: number;
  /** The selection score: the stability. */
  readonly score: number;
}

export interface KSelection {
  readonly k: number;
  readonly rule: string;
  /** Every k scored, ascending. */
  readonly curve: KScore[];
  /** The choice sits at the smallest or largest k of the range: the grain may lie beyond it. */
  readonly atEdge: "smallest" | "largest" | null;
}

/**
 * Stabilities within 15% of the best count as tied, and the largest tied k wins. Chosen on the whole
 * development panel (docs/quality.md): the most stable k is often a handful of broad topics (generic
 * words such as card, account, book reappear in any half), and a k split past the data's grain loses
 * more than 15% (planted topics: 0.99 at the true k, 0.72–0.83 beyond it). The best is read one standard
 * error down (bestLowerBound): a few broad topics' mean is the noisiest point of the curve, and its
 * luckiest draw must not narrow the band.
 */
export const STABILITY_TOLERANCE = 0.15;

/** A topic needs about this many documents in each half for its terms to be estimated. */
export const MIN_HALF_ROWS_PER_TOPIC = 20;

export const SELECT_K_RULE =
  "the largest k whose split-half stability (mean cosine of matched topics fitted on two disjoint random " +
  `halves) is within ${STABILITY_TOLERANCE * 100}% of the best, the best less one standard error of its mean`;

/**
 * Chooses the number of topics: for every k scored, fits NMF on two disjoint random halves of the
 * documents (each at most `halfRows`, with a loose tolerance) and measures how well their topics match
 * (the stability), then applies SELECT_K_RULE. Topics that reappear when the data changes are real;
 * topics split past the data's grain are not. Given a range, scores it coarse to fine;
 * k beyond halfRows / MIN_HALF_ROWS_PER_TOPIC is not tried (but the smallest). Returns every k scored.
 */
export function selectK(x: Csr, options: SelectKOptions = {}): KSelection {
  return runSteps(selectKSteps(x, options));
}

/** selectK, pausing after each NMF iteration of its fits (src/util/steps.ts). */
export function* selectKSteps(x: Csr, options: SelectKOptions = {}): Steps<KSelection> {
  const halfRows = Math.min(x.rows >> 1, options.halfRows ?? 4000);
  const order = new Rng(options.seed ?? 0).shuffle(Array.from({ length: x.rows }, (_, i) => i));
  const half = (from: number) =>
    selectRows(
      x,
      order.slice(from, from + halfRows).sort((a, b) => a - b),
    );
  const first = half(0);
  const second = half(halfRows);
  const topTerms = options.topTerms ?? 10;
  const nmf = { ...options.nmf, tol: options.searchTol ?? 1e-3 };
  const scored = new Map<number, KScore>();
  const score = function* (k: number): Steps<void> {
    if (scored.has(k)) return;
    const a = (yield* fitNmfSteps(first, { ...nmf, k })).h;
    const tops = Array.from({ length: k }, (_, t) => topTermIndices(a, x.cols, t, topTerms));
    const cosines = matchedCosines(a, (yield* fitNmfSteps(second, { ...nmf, k })).h, k, x.cols);
    const stability = mean(cosines);
    const standardError = k > 1 ? standardDeviation(cosines, stability) / Math.sqrt(k) : 0;
    const coherence = mean(npmiCoherence(first, tops));
    const result = { k, stability, standardError, coherence, score: stability };
    scored.set(k, result);
    options.onScored?.(result, scored.size);
  };
  const tolerance = options.tolerance ?? STABILITY_TOLERANCE;
  const choose = () => chooseK([...scored.values()], tolerance);
  const fits = (k: number) => k >= 1 && k <= Math.min(halfRows, x.cols);
  const candidates = (
    options.candidates ? [...options.candidates] : kGrid(options.range?.min ?? 4, options.range?.max ?? 16)
  )
    .filter(fits)
    .sort((a, b) => a - b);
  // The per-topic bound never leaves a small corpus without its smallest candidate.
  const perTopicMax = Math.max(candidates[0] ?? 0, Math.floor(halfRows / MIN_HALF_ROWS_PER_TOPIC));
  const range = candidates.filter((k) => k <= perTopicMax);
  if (range.length === 0) throw new RangeError(`no candidate k fits a ${x.rows}×${x.cols} matrix`);
  if (options.candidates) for (const k of range) yield* score(k);
  else {
    // Coarse (every other point: ×2 on the √2 grid, and the last), then fine: the points beside the
    // choice until both are scored (a more stable neighbour moves the band, and so the choice).
    for (let i = 0; i < range.length; i += 2) yield* score(range[i]!);
    yield* score(range.at(-1)!);
    for (;;) {
      const at = range.indexOf(choose());
      const beside = [range[at - 1], range[at + 1]].filter((k) => k !== undefined && !scored.has(k));
      if (beside.length === 0) break;
      for (const k of beside) yield* score(k!);
    }
  }
  const curve = [...scored.values()].sort((a, b) => a.k - b.k);
  const k = choose();
  const atEdge =
    range.length < 2 ? null : k === range[0] ? "smallest" : k === range.at(-1) ? "largest" : null;
  return { k, rule: SELECT_K_RULE, curve, atEdge };
}

/** The largest k whose stability is within `tolerance` of the best lower bound. */
export function chooseK(
  curve: readonly Pick<KScore, "k" | "stability" | "standardError">[],
  tolerance: number,
): number {
  const best = bestLowerBound(curve);
  return Math.max(...curve.filter((c) => c.stability >= best * (1 - tolerance)).map((c) => c.k));
}

/**
 * The best stability less one standard error: the band's reference. With 8–16 broad topics a single draw of
 * the halves can lift a mean by 0.17 (banking77's k 16: 0.714 or 0.885), and the plain best would then
 * exclude every fine k. Measured on the panel over three to five draws of the halves (docs/quality.md, fifth round);
 * two standard errors widened the band past planted topics' grain (6 planted, 11 chosen).
 */
function bestLowerBound(curve: readonly Pick<KScore, "stability" | "standardError">[]): number {
  return Math.max(...curve.map((c) => c.stability - c.standardError));
}

/**
 * The k relabel tries by default: a geometric grid (×√2: 8, 11, 16, 23, 32, 45, 64, 91, 128, ...) from
 * kMin to kMax, so the search spans the grain of a corpus of 8 groups and one of 150.
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

/** Cosines of the optimal one-to-one matching between the topics of two fits, one per topic of the first. */
function matchedCosines(a: Float64Array, b: Float64Array, k: number, cols: number): Float64Array {
  const cosines = rowCosines(a, k, b, k, cols);
  const assignment = assignMinCost(
    cosines.map((c) => -c),
    k,
    k,
  );
  return Float64Array.from({ length: k }, (_, t) => cosines[t * k + assignment[t]!]!);
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : 0;
}

/** Sample standard deviation (n − 1) around the given mean. */
function standardDeviation(values: Float64Array, around: number): number {
  let sum = 0;
  for (const v of values) sum += (v - around) ** 2;
  return values.length > 1 ? Math.sqrt(sum / (values.length - 1)) : 0;
}
