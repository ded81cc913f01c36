import { labelDocuments, type TopicModel } from "../topics/artifact.js";
import type { NoveltyInput } from "./pool.js";
import { type NeighbourhoodOptions, neighbourhoodNovelty } from "./signals.js";

interface Ticket {
  id: string;
  tokens: string[];
}

/**
 * A run's novel tickets and the training tickets of their kinds (the pool's reference), by
 * `neighbourhoodNovelty` against the topic model's training tickets. A ticket the model gives a topic
 * adopted since its fit is not novel: its kind is known now, though the training tickets lack it.
 */
export function findNovel(
  model: TopicModel,
  adoptedTopics: ReadonlySet<number>,
  training: readonly Ticket[],
  tickets: readonly Ticket[],
  options: NeighbourhoodOptions,
): Pick<NoveltyInput, "novel" | "reference" | "referenceRuns"> {
  const found = neighbourhoodNovelty(
    training.map((t) => t.tokens),
    tickets.map((t) => t.tokens),
    options,
  );
  const topic =
    adoptedTopics.size > 0
      ? labelDocuments(
          model,
          found.novel.map((i) => tickets[i]!.tokens),
        ).topic
      : null;
  return {
    novel: found.novel
      .filter((_, n) => !topic || !adoptedTopics.has(topic[n]!))
      .map((i) => ({ id: tickets[i]!.id, tokens: tickets[i]!.tokens })),
    reference: found.referenceNeighbours.map((i) => ({ id: training[i]!.id, tokens: training[i]!.tokens })),
    referenceRuns: training.length / Math.max(1, tickets.length),
  };
}
