import { type Taxonomy, type TaxonomyTopic, unrouted } from "../topics/taxonomy.js";
import { InputError } from "../util/errors.js";

/** One change a person makes to the taxonomy (the console's actions; a split also refits the topic model). */
export type TaxonomyEdit =
  | { action: "rename"; topic: number; name: string }
  | { action: "route"; topic: number; department: string }
  | { action: "merge"; topic: number; into: number }
  | { action: "noise"; topic: number; noise: boolean }
  | { action: "revert"; toVersion: number }
  | { action: "split"; topic: number };

/** The taxonomy changed since the reviewer loaded it: their edit was not applied and is returned intact. */
export class TaxonomyConflict extends Error {
  override readonly name = "TaxonomyConflict";
  constructor(
    readonly baseVersion: number,
    readonly currentVersion: number,
    readonly edit: TaxonomyEdit,
  ) {
    super(
      `the taxonomy is now version ${currentVersion}, your change was made on version ${baseVersion}: review the latest and apply it again`,
    );
  }
}

const maxName = 120;

function checkedName(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > maxName)
    throw new InputError(`a ${what} name needs 1 to ${maxName} characters`);
  return trimmed;
}

/**
 * The taxonomy with the topics people named that the topic model did not find ("new topic" answers
 * in the review queue), as the next version: each with its id (never one used before, so existing
 * ids and names never change), routed to Unrouted until a person routes it. Tickets get them only
 * from people's labels and what train spreads from them.
 */
export function addTopics(taxonomy: Taxonomy, added: readonly { topic: number; name: string }[]): Taxonomy {
  const topics = [...taxonomy.topics];
  for (const { topic: id, name } of added) {
    if (topics.some((t) => t.id === id)) throw new InputError(`topic ${id} already exists`);
    topics.push({
      id,
      name: checkedName(name, "topic"),
      department: unrouted,
      origin: "person",
      topTerms: [],
    });
  }
  const departments = taxonomy.departments.includes(unrouted)
    ? taxonomy.departments
    : [...taxonomy.departments, unrouted];
  return { ...taxonomy, version: taxonomy.version + 1, departments, topics };
}

/** The taxonomy after one edit (not revert or split: they need the history or a refit), as the next version, named by a person. */
export function applyEdit(
  taxonomy: Taxonomy,
  edit: Exclude<TaxonomyEdit, { action: "revert" } | { action: "split" }>,
): Taxonomy {
  const topic = taxonomy.topics.find((t) => t.id === edit.topic);
  if (!topic) throw new InputError(`topic ${edit.topic} is not in taxonomy version ${taxonomy.version}`);
  let departments = taxonomy.departments;
  let change: (t: TaxonomyTopic) => TaxonomyTopic;
  switch (edit.action) {
    case "rename": {
      const name = checkedName(edit.name, "topic");
      change = (t) => (t.id === topic.id ? { ...t, name, origin: "person" } : t);
      break;
    }
    case "route": {
      const department = checkedName(edit.department, "department");
      if (!departments.includes(department)) departments = [...departments, department];
      change = (t) => (t.id === topic.id ? { ...t, department, origin: "person" } : t);
      break;
    }
    case "merge": {
      const into = taxonomy.topics.find((t) => t.id === edit.into);
      if (!into || into.id === topic.id)
        throw new InputError(`cannot merge topic ${topic.id} into ${edit.into}`);
      if (into.mergedInto !== undefined)
        throw new InputError(
          `topic ${into.id} is itself merged into ${into.mergedInto}: merge into that one`,
        );
      // Topics already merged into this one follow it, so a merge never leaves a chain.
      change = (t) =>
        t.id === topic.id || t.mergedInto === topic.id
          ? { ...t, mergedInto: into.id, name: into.name, department: into.department, origin: "person" }
          : t;
      break;
    }
    case "noise":
      change = (t) =>
        t.id === topic.id
          ? { ...t, noise: edit.noise || undefined, department: edit.noise ? unrouted : t.department }
          : t;
      if (edit.noise && !departments.includes(unrouted)) departments = [...departments, unrouted];
      break;
  }
  return { ...taxonomy, version: taxonomy.version + 1, departments, topics: taxonomy.topics.map(change) };
}

export interface TopicChange {
  id: number;
  field: "name" | "department" | "mergedInto" | "noise" | "added" | "removed";
  before: string;
  after: string;
}

/** What differs between two taxonomies, topic by topic (what a reviewer reads in the history). */
export function diffTaxonomies(before: Taxonomy | null, after: Taxonomy): TopicChange[] {
  const old = new Map((before?.topics ?? []).map((t) => [t.id, t]));
  const changes: TopicChange[] = [];
  const show = (value: unknown) => (value === undefined ? "" : String(value));
  for (const topic of after.topics) {
    const previous = old.get(topic.id);
    if (!previous) {
      changes.push({ id: topic.id, field: "added", before: "", after: topic.name });
      continue;
    }
    for (const field of ["name", "department", "mergedInto", "noise"] as const) {
      if (show(previous[field]) !== show(topic[field]))
        changes.push({ id: topic.id, field, before: show(previous[field]), after: show(topic[field]) });
    }
    old.delete(topic.id);
  }
  for (const gone of old.values())
    changes.push({ id: gone.id, field: "removed", before: gone.name, after: "" });
  return changes;
}
