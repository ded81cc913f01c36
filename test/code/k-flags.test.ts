import assert from "node:assert/strict";
import { test } from "node:test";
import { kFlagsProblem } from "../../tasks/tickets/k-flags.js";

test("relabel's k flags: whole numbers of at least 1, --k-max not below --k-min", () => {
  assert.equal(kFlagsProblem({ "k-min": 8 }), undefined);
  assert.equal(kFlagsProblem({ k: 12, "k-min": 8, "k-max": 64 }), undefined);
  assert.equal(kFlagsProblem({ "k-min": 0 }), "--k-min must be a whole number of topics, at least 1, got 0");
  assert.equal(
    kFlagsProblem({ k: 2.5, "k-min": 8 }),
    "-k must be a whole number of topics, at least 1, got 2.5",
  );
  assert.equal(
    kFlagsProblem({ "k-min": 8, "k-max": -3 }),
    "--k-max must be a whole number of topics, at least 1, got -3",
  );
  assert.match(String(kFlagsProblem({ "k-min": 16, "k-max": 8 })), /^--k-max 8 is below --k-min 16/);
});
