/**
 * People's renames and routes reach the served router even when evaluate keeps the champion. The
 * router answers with the taxonomy sealed in its model at train time, so an edit made in the console
 * (a topic renamed, sent to another department) would otherwise wait for a retrained challenger to win
 * the non-inferiority test, which an equally good one often does not on a few hundred tickets. A
 * rename or a route changes where a predicted topic goes, not which topic is predicted, so the
 * champion's weights are kept and only its taxonomy is replaced by the one the challenger was trained
 * with. Merges and noise marks change the classes themselves: they wait for a promoted router.
 */
import type { RoutingModel } from "../classify/model.js";
import { type Taxonomy, topicById } from "../topics/taxonomy.js";

export interface RoutingChange {
  topic: number;
  /** Present when the name changed. */
  name?: { from: string; to: string };
  /** Present when the department changed. */
  department?: { from: string; to: string };
}

/**
 * What `taxonomy` changes in the champion's answers: each of its classes renamed or routed elsewhere.
 * Null when one of its classes is gone, merged or marked as noise in `taxonomy` (only a retrained
 * router answers for those), or when nothing it answers changes.
 */
export function routingChanges(champion: RoutingModel, taxonomy: Taxonomy): RoutingChange[] | null {
  const before = topicById(champion.taxonomy);
  const after = topicById(taxonomy);
  const changes: RoutingChange[] = [];
  for (const id of champion.classTopics) {
    const was = before.get(id);
    const now = after.get(id);
    if (!was || !now || now.mergedInto !== was.mergedInto || (now.noise ?? false) !== (was.noise ?? false))
      return null;
    const change: RoutingChange = { topic: id };
    if (now.name !== was.name) change.name = { from: was.name, to: now.name };
    if (now.department !== was.department) change.department = { from: was.department, to: now.department };
    if (change.name || change.department) changes.push(change);
  }
  return changes.length > 0 ? changes : null;
}

/** The champion answering through `taxonomy` (version `<trained version>+taxonomy-v<n>`); every other field, weights included, unchanged. */
export function withTaxonomy(champion: RoutingModel, taxonomy: Taxonomy): RoutingModel {
  const trained = champion.version.replace(/\+taxonomy-v\d+$/, "");
  return { ...champion, version: `${trained}+taxonomy-v${taxonomy.version}`, taxonomy };
}

/** One line for the promotion reason: `topic 13 "a" → "b", Unrouted → Fraud`. */
export function describeChanges(changes: readonly RoutingChange[]): string {
  return changes
    .map((c) =>
      [
        `topic ${c.topic}`,
        ...(c.name ? [`"${c.name.from}" → "${c.name.to}"`] : []),
        ...(c.department ? [`${c.department.from} → ${c.department.to}`] : []),
      ].join(" "),
    )
    .join("; ");
}
