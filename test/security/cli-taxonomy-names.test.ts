import assert from "node:assert/strict";
import { test } from "node:test";
import { nameTopic } from "../../src/topics/naming.js";
import {
  cfpbCatalog,
  defaultTaxonomy,
  maxNameLength,
  parseTaxonomy,
  serializeTaxonomy,
} from "../../src/topics/taxonomy.js";
import { InputError } from "../../src/util/errors.js";
import { runCli } from "../harness/cli.js";

/** Replays the red-team attempts on taxonomy files: wrong publish advice, and names without limits. */

const taxonomy = () => ({
  ...defaultTaxonomy(cfpbCatalog),
  version: 1,
  topics: [nameTopic(0, [{ term: "mortgage", weight: 1 }], [])],
});

test("the exported taxonomy says to publish with --publish, the flag the command takes", () => {
  const header = serializeTaxonomy(taxonomy());
  assert.doesNotMatch(header, /--file/);
  assert.match(header, /inflow tickets taxonomy --date <date> --publish <this file>/);
  assert.match(runCli(["tickets", "taxonomy", "--help"], process.env).stdout, /--publish/);
});

test("taxonomy names with no length or character limits are refused on publish, each named", () => {
  const edited = taxonomy();
  edited.topics[0]!.name = "x".repeat(maxNameLength + 1);
  edited.departments = [...edited.departments, "Evil\u202edept", "Line\nbreak", " padded"];
  assert.throws(
    () => parseTaxonomy(serializeTaxonomy(edited), "edited.yaml"),
    (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /topics\[0\]\.name "x+" is longer than 80 characters/);
      const first = edited.departments.length - 3;
      for (const i of [first, first + 1, first + 2])
        assert.match(
          error.message,
          new RegExp(`departments\\[${i}\\] .* may hold only`),
          `departments[${i}]`,
        );
      return true;
    },
  );
});

test("names people write in any script and with punctuation are accepted", () => {
  const edited = taxonomy();
  edited.departments = [...edited.departments, "Service client (FR)", "Обслуживание", "Billing & Refunds #2"];
  edited.topics[0]!.department = "Обслуживание";
  assert.equal(parseTaxonomy(serializeTaxonomy(edited), "ok.yaml").topics[0]!.department, "Обслуживание");
});

test("automatic names made of long top terms stay within the limit", () => {
  const long = [1, 2, 3].map((i) => ({ term: `${"w".repeat(90)}${"abc"[i - 1]}`, weight: 1 }));
  const topic = nameTopic(7, long, []);
  assert.ok([...topic.name].length <= maxNameLength);
  assert.doesNotThrow(() =>
    parseTaxonomy(
      serializeTaxonomy({ ...taxonomy(), topics: [{ ...topic, department: "Unrouted" }] }),
      "auto",
    ),
  );
});
