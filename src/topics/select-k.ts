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
  /** Scores within this fraction of the best count as tied; default 0.02. */
  readonly tieTolerance?: number;
}

export interface KScore {
  readonly k: number;
  /** ‖X − WH‖_F of the fit on all documents. */
  readonly reconstructionError: number;
  /** Mean NPMI of the topics' top terms (fit on all documents). */
  readonly coherence: number;
  /** Mean cosine of optimally matched topics between fits on two random halves of the documents. */
  readonly stability: number;
  /** stability × (1 + coherence) / 2, the selection criterion. */
  readonly score: number;
}

export interface KSelection {
  readonly k: number;
  readonly rule: string;
  readonly curve: KScore[];
}

/**
 * Too few topics merge real ones, and merged topics stay stable and fairly coherent, so the score
 * barely drops below the right k; too many split real topics, and stability falls sharply. Hence
 * near-ties go to the larger k.
 */
export const SELECT_K_RULE =
  "highest score = stability × (1 + NPMI coherence) / 2; scores within the tie tolerance (default 2%) " +
  "of the best are tied, and the largest tied k wins";

/**
 * Chooses the number of topics: for every candidate k, fits NMF on all documents (reconstruction
 * error, coherence) and on two disjoint random halves (stability: topics that reappear when the data
 * changes are real, split or merged ones are not), then applies SELECT_K_RULE. Returns the whole curve.
 */
export function selectK(x: Csr, options: SelectKOptions = {}): KSelection {
  const candidates = [...(options.candidates ?? range(4, 16))].sort((a, b) => a - b);
  const maxK = Math.min(x.rows >> 1, x.cols);
  const usable = candidates.filter((k) => k >= 1 && k <= maxK);
  if (usable.length === 0) throw new RangeError(`no candidate k fits a ${x.rows}×${x.cols} matrix`);
  const order = new Rng(options.seed ?? 0).shuffle(Array.from({ length: x.rows }, (_, i) => i));
  const half = order.length >> 1;
  const first = selectRows(
    x,
    order.slice(0, half).sort((a, b) => a - b),
  );
  const second = selectRows(
    x,
    order.slice(half).sort((a, b) => a - b),
  );
  const topTerms = options.topTerms ?? 10;
  const curve = usable.map((k): KScore => {
    const full = fitNmf(x, { ...options.nmf, k });
    const tops = Array.from({ length: k }, (_, t) => topTermIndices(full.h, x.cols, t, topTerms));
    const coherence = mean(npmiCoherence(x, tops));
    const stability = matchedCosine(
      fitNmf(first, { ...options.nmf, k }).h,
      fitNmf(second, { ...options.nmf, k }).h,
      k,
      x.cols,
    );
    return {
      k,
      reconstructionError: full.reconstructionError,
      coherence,
      stability,
      score: (stability * (1 + coherence)) / 2,
    };
  });
  const bestScore = Math.max(...curve.map((c) => c.score));
  const tolerance = options.tieTolerance ?? 0.02;
  const tied = curve.filter((c) => c.score >= bestScore - tolerance * Math.abs(bestScore));
  return { k: tied[tied.length - 1]!.k, rule: SELECT_K_RULE, curve };
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
