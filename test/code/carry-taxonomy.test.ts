import assert from "node:assert/strict";
import { test } from "node:test";
import type { RoutingModel } from "../../src/classify/model.js";
import { describeChanges, routingChanges, withTaxonomy } from "../../src/tickets/carry-taxonomy.js";
import type { Taxonomy, TaxonomyTopic } from "../../src/topics/taxonomy.js";

const topic = (
  id: number,
  name: string,
  department: string,
  extra: Partial<TaxonomyTopic> = {},
): TaxonomyTopic => ({
  id,
  name,
  department,
  origin: "top-terms",
  topTerms: [],
  ...extra,
});
const taxonomy = (version: number, topics: TaxonomyTopic[]): Taxonomy => ({
  version,
  reviewThreshold: 0.5,
  departments: ["Unrouted", "Fraud", "Cards"],
  topics,
  catalog: [],
});
const champion = {
  version: "2026-11-09.manual__2026-11-09",
  classTopics: [0, 1],
  taxonomy: taxonomy(1, [
    topic(0, "steal / thief", "Unrouted"),
    topic(1, "Cards", "Cards"),
    topic(2, "other", "Unrouted"),
  ]),
} as unknown as RoutingModel;

test("a rename and a route of the champion's classes are carried; other topics and term lists are not changes", () => {
  const edited = taxonomy(3, [
    topic(0, "Stolen card", "Fraud", { origin: "person" }),
    topic(1, "Cards", "Cards", { topTerms: ["card"] }),
    topic(2, "renamed, not a class", "Fraud"),
  ]);
  const changes = routingChanges(champion, edited);
  assert.deepEqual(changes, [
    {
      topic: 0,
      name: { from: "steal / thief", to: "Stolen card" },
      department: { from: "Unrouted", to: "Fraud" },
    },
  ]);
  assert.equal(describeChanges(changes!), 'topic 0 "steal / thief" → "Stolen card" Unrouted → Fraud');
  const carried = withTaxonomy(champion, edited);
  assert.equal(carried.version, "2026-11-09.manual__2026-11-09+taxonomy-v3");
  assert.equal(
    withTaxonomy(carried, taxonomy(4, edited.topics)).version,
    "2026-11-09.manual__2026-11-09+taxonomy-v4",
  );
});

test("nothing is carried when nothing changes, or a class is gone, merged or noise", () => {
  assert.equal(routingChanges(champion, champion.taxonomy), null);
  const [a, b, c] = champion.taxonomy.topics as [TaxonomyTopic, TaxonomyTopic, TaxonomyTopic];
  const renamed = { ...a, name: "Stolen card" };
  assert.equal(routingChanges(champion, taxonomy(2, [renamed, c])), null, "class 1 gone");
  assert.equal(routingChanges(champion, taxonomy(2, [renamed, { ...b, mergedInto: 0 }, c])), null, "merged");
  assert.equal(routingChanges(champion, taxonomy(2, [renamed, { ...b, noise: true }, c])), null, "noise");
});
