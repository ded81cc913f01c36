import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/util/errors.js";
import { parseKeepPos } from "../../tasks/tickets/keep-pos.js";

test("--keep-pos takes tags space- or comma-separated, in any case, and all for every word", () => {
  assert.deepEqual(parseKeepPos(["NOUN", "verb"]), ["NOUN", "VERB"]);
  assert.deepEqual(parseKeepPos(["noun,VERB", "ADJ", "NOUN"]), ["NOUN", "VERB", "ADJ"]);
  assert.deepEqual(parseKeepPos(["all"]), []);
});

test("an empty or unknown --keep-pos is a usage error that lists the valid tags", () => {
  for (const values of [[], [""], ["NOUN,"], ["NN"], ["all", "NOUN"]]) {
    assert.throws(
      () => parseKeepPos(values),
      (error: unknown) =>
        error instanceof InputError && /valid tags: ADJ, ADP, .*VERB, X, SPACE, or "all"/.test(error.message),
      JSON.stringify(values),
    );
  }
  assert.throws(() => parseKeepPos(["NN", "nouns"]), /unknown tags NN, NOUNS/);
});
