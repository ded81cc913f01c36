import type { LabelledTicket } from "../tickets/dataset.js";
import { effectiveTopic, type Taxonomy } from "../topics/taxonomy.js";
import type { HumanLabel } from "./human-labels.js";

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
