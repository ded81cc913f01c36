import assert from "node:assert/strict";
import { test } from "node:test";
import {
  cfpbCatalog,
  defaultTaxonomy,
  nameTopic,
  parseTaxonomy,
  serializeTaxonomy,
  unrouted,
} from "../../src/topics/taxonomy.js";
import { InputError } from "../../src/util/errors.js";

const weighted = (...terms: string[]) => terms.map((term, i) => ({ term, weight: terms.length - i }));

test("topics are named after the catalog entry their top terms weigh most toward", () => {
  assert.equal(
    nameTopic(0, weighted("mortgage", "escrow", "payment", "home"), cfpbCatalog).name,
    "Mortgages/loans",
  );
  assert.equal(
    nameTopic(1, weighted("fraud", "charge", "dispute", "card"), cfpbCatalog).name,
    "Theft/Dispute reporting",
  );
  const card = nameTopic(2, weighted("card", "limit", "fee", "account"), cfpbCatalog);
  assert.deepEqual(
    [card.name, card.department, card.origin],
    ["Credit card / Prepaid card", "Cards", "catalog"],
  );
});

test("a topic no catalog entry matches waits, unrouted, for a person", () => {
  const topic = nameTopic(7, weighted("printer", "toner", "paper", "tray"), cfpbCatalog);
  assert.deepEqual(
    [topic.name, topic.department, topic.origin],
    ["printer / toner / paper", unrouted, "top-terms"],
  );
});

test("a taxonomy survives its YAML round trip, and edits are validated with every problem listed", () => {
  const taxonomy = {
    ...defaultTaxonomy(),
    version: 3,
    topics: [nameTopic(0, weighted("mortgage"), cfpbCatalog)],
  };
  const text = serializeTaxonomy(taxonomy);
  assert.match(text, /^# Inflow taxonomy/);
  assert.deepEqual(parseTaxonomy(text, "t.yaml"), taxonomy);

  const broken = text
    .replace("department: Lending", "department: Nowhere")
    .replace("reviewThreshold: 0.5", "reviewThreshold: 2");
  assert.throws(
    () => parseTaxonomy(broken, "t.yaml"),
    (e: Error) =>
      e instanceof InputError &&
      /reviewThreshold/.test(e.message) &&
      /"Nowhere" is not one of departments/.test(e.message),
  );
  const duplicate = serializeTaxonomy({ ...taxonomy, topics: [taxonomy.topics[0]!, taxonomy.topics[0]!] });
  assert.throws(() => parseTaxonomy(duplicate, "t.yaml"), /id 0 is duplicated/);
  assert.throws(() => parseTaxonomy("a: [", "t.yaml"), /not valid YAML/);
});
