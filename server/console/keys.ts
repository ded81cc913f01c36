import type { Taxonomy } from "../../src/topics/taxonomy.js";

/** Keys reserved by the review queue: n new topic, s skip, u undo. */
const reserved = new Set(["n", "s", "u"]);
const keyOrder = [..."123456789abcdefghijklmopqrtvwxyz"].filter((k) => !reserved.has(k));

/** One key per topic a ticket can be labelled with (merged and noise topics are not offered). */
export function topicKeys(
  taxonomy: Taxonomy,
): { key: string | null; id: number; name: string; department: string }[] {
  return taxonomy.topics
    .filter((t) => t.mergedInto === undefined && !t.noise)
    .map((t, i) => ({ key: keyOrder[i] ?? null, id: t.id, name: t.name, department: t.department }));
}
