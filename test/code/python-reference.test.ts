import assert from "node:assert/strict";
import { test } from "node:test";
import { sameAnswer } from "../harness/python-reference.js";

test("a frozen Python answer verifies within 1e-8 of today's, never past it, and never with another shape", () => {
  // scikit-learn's lbfgs on another CPU: coefficients moved by ~1e-9.
  assert.ok(
    sameAnswer(
      { coef: [[0.123456789012, -4.5e-11]], classes: ["a", "b"] },
      { coef: [[0.123456790012, 0]], classes: ["a", "b"] },
    ),
  );
  assert.ok(sameAnswer(1e6, 1e6 + 0.005), "relative on large numbers");
  assert.ok(!sameAnswer(0.5, 0.5 + 1e-7), "a difference the tests could see");
  assert.ok(!sameAnswer({ coef: [1] }, { coef: [1, 2] }), "another length");
  assert.ok(!sameAnswer({ coef: [1] }, { coef: [1], extra: 0 }), "another key");
  assert.ok(!sameAnswer({ label: "a" }, { label: "b" }), "another string");
  assert.ok(!sameAnswer([null], [0]), "null is not zero");
});
