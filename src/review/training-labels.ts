import type { LabelledTicket } from "../tickets/dataset.js";
import type { Csr } from "../topics/csr.js";
import { effectiveTopic, type Taxonomy } from "../topics/taxonomy.js";
import type { HumanLabel } from "./human-labels.js";
import { type LabelSpreadingOptions, spreadOnGraph } from "./propagate.js";

export interface TrainingTicket extends LabelledTicket {
  /** True when a person gave this ticket its topic. */
  human: boolean;
  /** True when the ticket's topic-model label is not trusted (its topic is outvoted, see withHumanLabels). */
  outvoted: boolean;
}

/**
 * The tickets train learns from: a person's topic label replaces the topic model's (so an unassigned
 * ticket a person labelled is trained on too), a merged topic counts as the topic it was merged into,
 * and noise topics are left out. Answers that are not a topic (an unnamed "new topic") do not label
 * a ticket.
 *
 * People's labels also measure the topic model: a topic is **outvoted** when the tickets people
 * labelled among its tickets show, at 95% confidence, that fewer than half of them belong to it (the
 * Wilson score interval's upper bound of the share people confirmed is below 1/2). Its other tickets'
 * labels are then not trusted: they are `outvoted`, trained on only if self-training gives them a
 * people-given topic. A topic with few labels is never outvoted (0 of 3 confirmed is not enough).
 */
export function withHumanLabels(
  tickets: readonly LabelledTicket[],
  labels: ReadonlyMap<string, HumanLabel>,
  taxonomy: Taxonomy,
): { tickets: TrainingTicket[]; overridden: number; outvotedTopics: number[]; peopleClasses: boolean } {
  const out: TrainingTicket[] = [];
  let overridden = 0;
  const votes = new Map<number, { confirmed: number; total: number }>();
  for (const ticket of tickets) {
    const answer = labels.get(ticket.id)?.answer;
    const human = answer?.kind === "topic";
    const modelTopic = ticket.topic < 0 ? null : effectiveTopic(taxonomy, ticket.topic);
    const given = human ? answer.topic : ticket.topic;
    if (given < 0) continue;
    const topic = effectiveTopic(taxonomy, given);
    if (topic === null) continue;
    if (human && topic !== ticket.topic) overridden++;
    if (human && modelTopic !== null) {
      const vote = votes.get(modelTopic) ?? { confirmed: 0, total: 0 };
      vote.total++;
      if (topic === modelTopic) vote.confirmed++;
      votes.set(modelTopic, vote);
    }
    out.push({ ...ticket, topic, human, outvoted: false });
  }
  const outvoted = new Set(
    [...votes].filter(([, v]) => wilsonUpper(v.confirmed, v.total) < 0.5).map(([topic]) => topic),
  );
  for (const ticket of out) ticket.outvoted = !ticket.human && outvoted.has(ticket.topic);
  // The same test on all of people's labels pooled: the topic model as a whole is outvoted.
  let confirmed = 0;
  let total = 0;
  for (const vote of votes.values()) {
    confirmed += vote.confirmed;
    total += vote.total;
  }
  const peopleClasses = total > 0 && wilsonUpper(confirmed, total) < 0.5;
  if (peopleClasses) for (const ticket of out) ticket.outvoted = !ticket.human;
  return { tickets: out, overridden, outvotedTopics: [...outvoted].sort((a, b) => a - b), peopleClasses };
}

/** Upper bound of the Wilson score interval (z = 1.96, 95%) for `successes` out of `n`. */
export function wilsonUpper(successes: number, n: number, z = 1.96): number {
  if (n === 0) return 1;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return (centre + spread) / (1 + z2 / n);
}

/**
 * Spreads people's topics to the tickets they did not label (label spreading on the tickets'
 * nearest-neighbour graph, see propagate.ts): on the train split (`graph`: neighbourGraph of its rows),
 * seeded by its people-labelled rows. Held-out tickets are not in the graph (they would shape it) and
 * take no topic. Returns the ticket indices that took a people-given topic (their topic-model label is
 * replaced); empty when nobody labelled two topics yet or `options` is null (propagation off).
 */
export function propagateHumanLabels(
  tickets: readonly TrainingTicket[],
  split: { train: Int32Array },
  graph: Csr,
  options: LabelSpreadingOptions | null,
): Map<number, number> {
  const out = new Map<number, number>();
  if (options === null) return out;
  const seeds = Int32Array.from(split.train, (i) => (tickets[i]!.human ? tickets[i]!.topic : -1));
  const spread = spreadOnGraph(graph, seeds, options);
  for (const [k, i] of split.train.entries())
    if (seeds[k]! < 0 && spread.labels[k]! >= 0) out.set(i, spread.labels[k]!);
  return out;
}
