import type { Taxonomy } from "../../src/topics/taxonomy.js";

/** Keys reserved by the review queue: n new topic, s skip, u undo. */
const reserved = new Set(["n", "s", "u"]);
const keyOrder = [..."123456789abcdefghijklmopqrtvwxyz"].filter((k) => !reserved.has(k));

export interface TopicChoice {
  /** Its single-key shortcut; null past the 32nd topic (those are found with the queue's filter). */
  key: string | null;
  id: number;
  name: string;
  department: string;
  /** Top terms (the topic model's report where given, else the taxonomy's), for the queue's filter. */
  terms: string[];
  /** Its first terms when another choice has the same name (catalog names repeat): what tells them apart. */
  hint: string[];
}

/** Terms shown beside a name that several choices share. */
const hintTerms = 3;

/** One choice per topic a ticket can be labelled with (merged and noise topics are not offered). */
export function topicKeys(
  taxonomy: Taxonomy,
  terms: ReadonlyMap<number, string[]> = new Map(),
): TopicChoice[] {
  const offered = taxonomy.topics.filter((t) => t.mergedInto === undefined && !t.noise);
  const named = new Map<string, number>();
  for (const t of offered) named.set(t.name.toLowerCase(), (named.get(t.name.toLowerCase()) ?? 0) + 1);
  return offered.map((t, i) => {
    const topicTerms = terms.get(t.id) ?? t.topTerms;
    return {
      key: keyOrder[i] ?? null,
      id: t.id,
      name: t.name,
      department: t.department,
      terms: topicTerms,
      hint: named.get(t.name.toLowerCase())! > 1 ? topicTerms.slice(0, hintTerms) : [],
    };
  });
}
