import type { LabelledTicket } from "../tickets/dataset.js";
import type { Taxonomy, TaxonomyTopic } from "../topics/taxonomy.js";

export interface TopicRow extends TaxonomyTopic {
  size: number;
  share: number;
  terms: string[];
  /** Tickets per confidence decile [0, 0.1), …, [0.9, 1]. */
  confidence: number[];
  meanConfidence: number;
}

/** Per-topic size, share and confidence distribution of the labelled tickets, in taxonomy order. */
export function topicRows(
  taxonomy: Taxonomy,
  tickets: readonly LabelledTicket[],
  terms: Map<number, string[]>,
): { topics: TopicRow[]; unassigned: number; total: number } {
  const rows = new Map<number, TopicRow>(
    taxonomy.topics.map((t) => [
      t.id,
      {
        ...t,
        size: 0,
        share: 0,
        terms: terms.get(t.id) ?? t.topTerms,
        confidence: new Array(10).fill(0),
        meanConfidence: 0,
      },
    ]),
  );
  let unassigned = 0;
  for (const ticket of tickets) {
    const row = rows.get(ticket.topic);
    if (!row) {
      unassigned++;
      continue;
    }
    row.size++;
    row.meanConfidence += ticket.confidence;
    row.confidence[Math.min(9, Math.floor(ticket.confidence * 10))]++;
  }
  const total = tickets.length;
  for (const row of rows.values()) {
    row.share = total ? row.size / total : 0;
    row.meanConfidence = row.size ? row.meanConfidence / row.size : 0;
  }
  return { topics: [...rows.values()], unassigned, total };
}
