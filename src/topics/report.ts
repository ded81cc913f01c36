import { topTermIndices } from "./topic-terms.js";

export interface TopicAssignment {
  /** Topic row per document; -1 = unassigned. */
  readonly topic: Int32Array;
  /** w_topic / Σw of the document's strongest topic (0 when Σw = 0). */
  readonly confidence: Float64Array;
}

/**
 * Each document's strongest topic and its share of the document's topic weight. Documents with no
 * topic weight, or whose confidence is below threshold, are unassigned (-1).
 */
export function assignTopics(w: Float64Array, k: number, threshold = 0): TopicAssignment {
  const rows = w.length / k;
  const topic = new Int32Array(rows).fill(-1);
  const confidence = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    let best = 0;
    for (let t = 0; t < k; t++) {
      const value = w[i * k + t]!;
      sum += value;
      if (value > w[i * k + best]!) best = t;
    }
    if (sum <= 0) continue;
    confidence[i] = w[i * k + best]! / sum;
    if (confidence[i]! >= threshold) topic[i] = best;
  }
  return { topic, confidence };
}

export interface TopicSummary {
  readonly topic: number;
  readonly terms: { term: string; weight: number }[];
  /** Documents assigned to this topic and their share of all documents. */
  readonly size: number;
  readonly share: number;
  readonly meanConfidence: number;
  /** Assigned documents with the largest weight on this topic, strongest first (ids or row indices). */
  readonly representatives: (string | number)[];
}

export interface TopicReport {
  readonly topics: TopicSummary[];
  readonly unassigned: number;
}

export interface TopicReportOptions {
  readonly topTerms?: number;
  readonly representatives?: number;
  readonly threshold?: number;
  /** Document ids by row; row indices when absent. */
  readonly docIds?: readonly (string | number)[];
}

/** Per-topic summary of a factorization: top terms (from H), size, confidence, representative documents. */
export function topicReport(
  w: Float64Array,
  h: Float64Array,
  k: number,
  vocabulary: readonly string[],
  options: TopicReportOptions = {},
): TopicReport {
  const cols = vocabulary.length;
  const rows = w.length / k;
  const { topic, confidence } = assignTopics(w, k, options.threshold ?? 0);
  const members: number[][] = Array.from({ length: k }, () => []);
  let unassigned = 0;
  for (let i = 0; i < rows; i++) {
    if (topic[i]! < 0) unassigned++;
    else members[topic[i]!]!.push(i);
  }
  const topics = members.map((docs, t): TopicSummary => {
    const terms = Array.from(topTermIndices(h, cols, t, options.topTerms ?? 10), (j) => ({
      term: vocabulary[j]!,
      weight: h[t * cols + j]!,
    }));
    const confidenceSum = docs.reduce((sum, i) => sum + confidence[i]!, 0);
    const strongest = docs
      .slice()
      .sort((a, b) => w[b * k + t]! - w[a * k + t]! || a - b)
      .slice(0, options.representatives ?? 5);
    return {
      topic: t,
      terms,
      size: docs.length,
      share: rows > 0 ? docs.length / rows : 0,
      meanConfidence: docs.length > 0 ? confidenceSum / docs.length : 0,
      representatives: strongest.map((i) => options.docIds?.[i] ?? i),
    };
  });
  return { topics, unassigned };
}
