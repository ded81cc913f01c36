import assert from "node:assert/strict";
import { test } from "node:test";
import { boundsProblem, share, wholeAtLeast } from "../../tasks/flag-bounds.js";
import { relabelFlagsProblem } from "../../tasks/tickets/relabel-flags.js";

test("flag bounds: the first flag outside its range named with the range; unset flags pass", () => {
  const bounds = { "max-iter": wholeAtLeast(1), "test-share": { above: 0, below: 1 }, alpha: share };
  assert.equal(boundsProblem({ "max-iter": 200, alpha: 0.05 }, bounds), undefined);
  assert.equal(boundsProblem({ "max-iter": 0 }, bounds), "--max-iter must be a whole number ≥ 1, got 0");
  assert.equal(boundsProblem({ "max-iter": 2.5 }, bounds), "--max-iter must be a whole number ≥ 1, got 2.5");
  assert.equal(
    boundsProblem({ "test-share": 7 }, bounds),
    "--test-share must be a number > 0 and < 1, got 7",
  );
  assert.equal(
    boundsProblem({ alpha: Number.POSITIVE_INFINITY }, bounds),
    "--alpha must be a number ≥ 0 and ≤ 1, got Infinity",
  );
  assert.equal(boundsProblem({ k: -1 }, { k: wholeAtLeast(1) }), "-k must be a whole number ≥ 1, got -1");
});

test("relabel's flags: k whole numbers of at least 1, --k-max not below --k-min, a fit of at least one iteration", () => {
  assert.equal(relabelFlagsProblem({ "k-min": 8, "max-iter": 300, tol: 1e-4 }), undefined);
  assert.equal(relabelFlagsProblem({ k: 12, "k-min": 8, "k-max": 64 }), undefined);
  assert.equal(relabelFlagsProblem({ "k-min": 0 }), "--k-min must be a whole number ≥ 1, got 0");
  assert.equal(relabelFlagsProblem({ "k-min": 8, sample: 0 }), undefined, "0: fit on every ticket");
  assert.equal(
    relabelFlagsProblem({ "k-min": 8, sample: 1.5 }),
    "--sample must be a whole number ≥ 0, got 1.5",
  );
  assert.equal(
    relabelFlagsProblem({ "k-min": 8, "max-iter": -1 }),
    "--max-iter must be a whole number ≥ 1, got -1",
  );
  assert.equal(
    relabelFlagsProblem({ "k-min": 8, "max-features": -1 }),
    "--max-features must be a whole number ≥ 1, got -1",
  );
  assert.equal(
    relabelFlagsProblem({ "k-min": 8, "match-threshold": -1 }),
    "--match-threshold must be a number ≥ 0 and ≤ 1, got -1",
  );
  assert.match(String(relabelFlagsProblem({ "k-min": 16, "k-max": 8 })), /^--k-max 8 is below --k-min 16/);
});
