import { assignMinCost } from "./hungarian.js";
import { rowNorms } from "./topic-terms.js";

/** One model's topics: H (k × vocabulary.length, row-major) and each row's stable topic id. */
export interface TopicSet {
  readonly vocabulary: readonly string[];
  readonly h: Float64Array;
  readonly k: number;
  /** Stable id per topic row; default 0..k-1. */
  readonly ids?: readonly number[];
}

export interface TopicPair {
  /** Row in the new model. */
  readonly topic: number;
  /** Row in the previous model. */
  readonly previousTopic: number;
  /** The previous topic's id, which the new topic keeps. */
  readonly id: number;
  readonly similarity: number;
}

export interface TopicMatching {
  /** Id for every new topic row: the matched previous id, or a fresh id above the previous maximum. */
  readonly ids: number[];
  readonly matched: TopicPair[];
  /** New topic rows without a match (they received fresh ids). */
  readonly added: number[];
  /** Ids of previous topics without a match. */
  readonly vanished: number[];
  /** Cosine similarity, new rows × previous rows, row-major. */
  readonly similarity: Float64Array;
}

/**
 * Aligns a refitted model's topics with the previous model's: cosine similarity of topic–term rows
 * over the union of both vocabularies (by term string), then the optimal one-to-one assignment
 * (Hungarian); assigned pairs below the threshold (default 0.3) are not matches.
 */
export function matchTopics(
  next: TopicSet,
  previous: TopicSet,
  options: { threshold?: number } = {},
): TopicMatching {
  const threshold = options.threshold ?? 0.3;
  const previousIds = previous.ids ?? Array.from({ length: previous.k }, (_, t) => t);
  const similarity = unionCosines(next, previous);
  const cost = similarity.map((s) => -s);
  const assignment = assignMinCost(cost, next.k, previous.k);
  let nextId = previousIds.reduce((max, id) => Math.max(max, id), -1) + 1;
  const ids: number[] = [];
  const matched: TopicPair[] = [];
  const added: number[] = [];
  const taken = new Set<number>();
  for (let t = 0; t < next.k; t++) {
    const p = assignment[t]!;
    const s = p >= 0 ? similarity[t * previous.k + p]! : 0;
    if (p >= 0 && s >= threshold) {
      ids.push(previousIds[p]!);
      matched.push({ topic: t, previousTopic: p, id: previousIds[p]!, similarity: s });
      taken.add(p);
    } else {
      ids.push(nextId++);
      added.push(t);
    }
  }
  const vanished = previousIds.filter((_, p) => !taken.has(p));
  return { ids, matched, added, vanished, similarity };
}

/** Cosines between topic rows of two models whose columns are different vocabularies. */
function unionCosines(next: TopicSet, previous: TopicSet): Float64Array {
  const nextCols = next.vocabulary.length;
  const previousCols = previous.vocabulary.length;
  const previousColumn = new Map(previous.vocabulary.map((term, j) => [term, j]));
  const dots = new Float64Array(next.k * previous.k);
  // Terms missing from one side contribute zero to the dot product but still count in the norms.
  for (let j = 0; j < nextCols; j++) {
    const pj = previousColumn.get(next.vocabulary[j]!);
    if (pj === undefined) continue;
    for (let a = 0; a < next.k; a++) {
      const x = next.h[a * nextCols + j]!;
      if (x === 0) continue;
      for (let b = 0; b < previous.k; b++)
        dots[a * previous.k + b]! += x * previous.h[b * previousCols + pj]!;
    }
  }
  const nextNorms = rowNorms(next.h, next.k, nextCols);
  const previousNorms = rowNorms(previous.h, previous.k, previousCols);
  for (let a = 0; a < next.k; a++) {
    for (let b = 0; b < previous.k; b++) {
      const denominator = nextNorms[a]! * previousNorms[b]!;
      dots[a * previous.k + b] = denominator > 0 ? dots[a * previous.k + b]! / denominator : 0;
    }
  }
  return dots;
}
