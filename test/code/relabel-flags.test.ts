import assert from "node:assert/strict";
import { test } from "node:test";
import { relabelFlagsProblem } from "../../tasks/tickets/relabel-flags.js";

test("relabel's flags across each other: --k-max not below --k-min (each flag's range: flag-bounds.test.ts)", () => {
  assert.equal(relabelFlagsProblem({ "k-min": 8 }), undefined);
  assert.equal(relabelFlagsProblem({ k: 12, "k-min": 8, "k-max": 64 }), undefined);
  assert.match(String(relabelFlagsProblem({ "k-min": 16, "k-max": 8 })), /^--k-max 8 is below --k-min 16/);
});
