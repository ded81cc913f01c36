import assert from "node:assert/strict";
import { test } from "node:test";
import { cfpbCatalog, defaultTaxonomy, parseTaxonomy, serializeTaxonomy } from "../../src/topics/taxonomy.js";
import { InputError } from "../../src/util/errors.js";

test("the catalog is opt-in: the default taxonomy has none and routes nowhere but Unrouted", () => {
  assert.deepEqual(defaultTaxonomy().catalog, []);
  assert.deepEqual(defaultTaxonomy().departments, ["Unrouted"]);
  assert.ok(defaultTaxonomy(cfpbCatalog).departments.includes("Cards"));
});

test("a taxonomy survives its YAML round trip, and edits are validated with every problem listed", () => {
  const taxonomy = {
    ...defaultTaxonomy(cfpbCatalog),
    version: 3,
    topics: [
      {
        id: 0,
        name: "Mortgages/loans",
        department: "Lending",
        origin: "catalog" as const,
        topTerms: ["escrow"],
      },
    ],
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
      /"Nowhere" is not one of departments/.test(e.message) &&
      !e.message.includes("\n"), // every problem, on the one line a terminal shows
  );
  const duplicate = serializeTaxonomy({ ...taxonomy, topics: [taxonomy.topics[0]!, taxonomy.topics[0]!] });
  assert.throws(() => parseTaxonomy(duplicate, "t.yaml"), /id 0 is duplicated/);
  assert.throws(() => parseTaxonomy("a: [", "t.yaml"), /not valid YAML/);
  // One line a terminal shows whole: the place, then what is wrong, no code frame under it.
  assert.throws(
    () => parseTaxonomy("version: 1\nnot: [valid", "t.yaml"),
    (error: Error) =>
      /^t\.yaml: not valid YAML at line 2, column \d+: \S/.test(error.message) &&
      !error.message.includes("\n"),
  );
});
