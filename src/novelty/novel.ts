import { labelDocumentsSteps, type TopicModel } from "../topics/artifact.js";
import { runSteps, type Steps } from "../util/steps.js";
import type { NoveltyInput } from "./pool.js";
import { type NeighbourhoodOptions, neighbourhoodNoveltySteps } from "./signals.js";

interface Ticket {
  id: string;
  tokens: string[];
  /**
   * Every word's lemma (preprocessing with every POS tag), when known: the neighbourhood test and the
   * pool then use these instead of the model's tokens — new kinds often differ by a verb alone.
   */
  words?: string[];
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
): Novel {
  return runSteps(findNovelSteps(model, adoptedTopics, training, tickets, options));
}

type Novel = Pick<NoveltyInput, "novel" | "reference" | "referenceRuns"> & { tested: number };

/** findNovel, pausing in the neighbourhood test and the projection on the topics (src/util/steps.ts): label stops there on a signal. */
export function* findNovelSteps(
  model: TopicModel,
  adoptedTopics: ReadonlySet<number>,
  training: readonly Ticket[],
  tickets: readonly Ticket[],
  options: NeighbourhoodOptions,
): Steps<Novel> {
  const found = yield* neighbourhoodNoveltySteps(
    training.map(noveltyTerms),
    tickets.map(noveltyTerms),
    options,
  );
  const topic =
    adoptedTopics.size > 0
      ? (yield* labelDocumentsSteps(
          model,
          found.novel.map((i) => tickets[i]!.tokens),
        )).topic
      : null;
  return {
    novel: found.novel
      .filter((_, n) => !topic || !adoptedTopics.has(topic[n]!))
      .map((i) => ({ id: tickets[i]!.id, tokens: noveltyTerms(tickets[i]!) })),
    reference: found.referenceNeighbours.map((i) => ({
      id: training[i]!.id,
      tokens: noveltyTerms(training[i]!),
    })),
    // The reference tickets and the novel ones come from the compared samples: runs as the samples' ratio.
    referenceRuns: found.compared.reference / Math.max(1, found.compared.current),
    tested: found.compared.current,
  };
}

const noveltyTerms = (ticket: Ticket): string[] => ticket.words ?? ticket.tokens;
