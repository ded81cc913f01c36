import { withoutIdentity } from "../store/model-identity.js";
import type { LabelledTicket } from "../tickets/dataset.js";
import type { TopicModel, TopicModelFile } from "../topics/artifact.js";
import { fitNmf } from "../topics/nmf.js";
import { transformTfidf } from "../topics/tfidf.js";
import { topTermIndices } from "../topics/topic-terms.js";
import { InputError } from "../util/errors.js";

export interface SplitHalf {
  terms: { term: string; weight: number }[];
  /** Indices (into the tickets given) of the topic's tickets that fall in this half. */
  rows: number[];
}

export interface SplitPreview {
  topic: number;
  /** Larger half first: it keeps the topic's id and name. */
  halves: [SplitHalf, SplitHalf];
  /** The two halves' term weights (2 × vocabulary), each scaled to the norm of the topic's row. */
  h: Float64Array;
}

export const minTickets = 10;
const topTerms = 10;

/**
 * A split of one topic: NMF with k = 2 refitted on that topic's tickets alone, in the topic model's
 * own TF-IDF space (same vocabulary and idf), seeded, so the preview a person accepts is the split
 * that gets published. Each ticket goes to the half with the larger weight.
 */
export function previewSplit(
  model: TopicModel,
  tickets: readonly LabelledTicket[],
  topic: number,
  seed = 40,
): SplitPreview {
  const row = model.topicIds.indexOf(topic);
  if (row < 0) throw new InputError(`topic ${topic} is not in the topic model`);
  const members = tickets.flatMap((t, i) => (t.topic === topic ? [i] : []));
  if (members.length < minTickets)
    throw new InputError(
      `topic ${topic} has ${members.length} tickets; a split needs at least ${minTickets}`,
    );
  const x = transformTfidf(
    model.tfidf,
    members.map((i) => tickets[i]!.tokens),
  );
  const nmf = fitNmf(x, { k: 2, seed, tol: 1e-4, maxIter: 300 });
  const cols = model.tfidf.vocabulary.length;
  const rows: [number[], number[]] = [[], []];
  members.forEach((ticket, i) => {
    rows[nmf.w[i * 2 + 1]! > nmf.w[i * 2]! ? 1 : 0].push(ticket);
  });
  const order = rows[1].length > rows[0].length ? [1, 0] : [0, 1];
  // Rows scaled to the original topic's norm, so its weights stay comparable with the other topics'.
  const target = norm(model.components.subarray(row * cols, (row + 1) * cols));
  const h = new Float64Array(2 * cols);
  order.forEach((half, out) => {
    const source = nmf.h.subarray(half * cols, (half + 1) * cols);
    const scale = target / Math.max(norm(source), Number.MIN_VALUE);
    for (let j = 0; j < cols; j++) h[out * cols + j] = source[j]! * scale;
  });
  const half = (out: number): SplitHalf => ({
    terms: Array.from(topTermIndices(h, cols, out, topTerms), (j) => ({
      term: model.tfidf.vocabulary[j]!,
      weight: h[out * cols + j]!,
    })),
    rows: rows[order[out]!]!,
  });
  return { topic, halves: [half(0), half(1)], h };
}

/**
 * The topic model after a split: the topic's row replaced by the first half, the second half added as
 * `newId`. Its version and time are the ones its publication records (a person's edit is dated in the
 * taxonomy history, not in the model).
 */
export function splitTopicModel(model: TopicModelFile, preview: SplitPreview, newId: number): TopicModelFile {
  const cols = model.tfidf.vocabulary.length;
  const row = model.topicIds.indexOf(preview.topic);
  const components = new Float64Array((model.k + 1) * cols);
  components.set(model.components);
  components.set(preview.h.subarray(0, cols), row * cols);
  components.set(preview.h.subarray(cols), model.k * cols);
  return {
    ...withoutIdentity(model),
    k: model.k + 1,
    components,
    topicIds: [...model.topicIds, newId],
  };
}

function norm(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}
