import type { LabelledTicket } from "../tickets/dataset.js";
import type { Csr } from "../topics/csr.js";
import { effectiveTopic, type Taxonomy } from "../topics/taxonomy.js";
import type { HumanLabel } from "./human-labels.js";
import { adopt, type SelfTrainingOptions, selfTrain } from "./propagate.js";

export interface TrainingTicket extends LabelledTicket {
  /** True when a person gave this ticket its topic. */
  human: boolean;
}

/**
 * The tickets train learns from: a person's topic label replaces the topic model's (so an unassigned
 * ticket a person labelled is trained on too), a merged topic counts as the topic it was merged into,
 * and noise topics are left out. Answers that are not a topic ("new topic") do not label a ticket.
 */
export function withHumanLabels(
  tickets: readonly LabelledTicket[],
  labels: ReadonlyMap<string, HumanLabel>,
  taxonomy: Taxonomy,
): { tickets: TrainingTicket[]; overridden: number } {
  const out: TrainingTicket[] = [];
  let overridden = 0;
  for (const ticket of tickets) {
    const answer = labels.get(ticket.id)?.answer;
    const human = answer?.kind === "topic";
    const given = human ? answer.topic : ticket.topic;
    if (given < 0) continue;
    const topic = effectiveTopic(taxonomy, given);
    if (topic === null) continue;
    if (human && topic !== ticket.topic) overridden++;
    out.push({ ...ticket, topic, human });
  }
  return { tickets: out, overridden };
}

/**
 * Spreads people's topics to the tickets they did not label (self-training, see propagate.ts): on the
 * train split, seeded by the people-labelled rows; each held-out ticket then takes a topic when the
 * final model is as sure of it, so held-out targets follow the same rule without shaping the model.
 * Returns the ticket indices that took a people-given topic (their topic-model label is replaced);
 * empty when nobody labelled two topics yet or `options` is null (propagation off).
 */
export function propagateHumanLabels(
  tickets: readonly TrainingTicket[],
  split: { train: Int32Array; test: Int32Array },
  xTrain: Csr,
  xTest: Csr,
  options: SelfTrainingOptions | null,
): Map<number, number> {
  const out = new Map<number, number>();
  if (options === null) return out;
  const seeds = Int32Array.from(split.train, (i) => (tickets[i]!.human ? tickets[i]!.topic : -1));
  const spread = selfTrain(xTrain, seeds, options);
  if (spread.model === null) return out;
  for (const [k, i] of split.train.entries())
    if (seeds[k]! < 0 && spread.labels[k]! >= 0) out.set(i, spread.labels[k]!);
  const held = adopt(spread.model, spread.classes, xTest, options.threshold);
  for (const [k, i] of split.test.entries()) if (held[k]! >= 0) out.set(i, held[k]!);
  return out;
}
