import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluationHeadline, heldOutRouting, routingAgainstTruth } from "../../src/tickets/truth.js";
import { unitTopics } from "../../src/topics/fit-topics.js";
import type { NmfModel } from "../../src/topics/nmf.js";

const i32 = (values: number[]) => Int32Array.from(values);

test("the topic → group map is learned on one split only, and macro-F1 averages over every group", () => {
  // Learned: topic 5 → group 0, topic 6 → group 1. Group 2 exists but is never predicted.
  const learn = { topics: i32([5, 5, 6, 6, -1]), truth: i32([0, 0, 1, 1, 2]) };
  // Scored: topic 7 was never seen when learning, and -1 is unassigned: both route nowhere.
  const score = { topics: i32([5, 6, 7, -1]), truth: i32([0, 1, 2, 0]) };
  const result = heldOutRouting(learn, score, 3);
  assert.equal(result.rows, 4);
  assert.equal(result.mapRows, 5);
  assert.equal(result.accuracy, 0.5);
  // F1: group 0 = 2·1/(1+2) = 2/3, group 1 = 1, group 2 = 0 (counted, not skipped).
  assert.ok(Math.abs(result.macroF1 - (2 / 3 + 1 + 0) / 3) < 1e-12);
  // The largest group of the learning rows is 0 (two rows, ties to the lowest).
  assert.equal(result.majorityBaseline.accuracy, 0.5);
});

test("a topic per ticket cannot flatter: the map never sees the scored tickets", () => {
  const learn = { topics: i32([0, 1, 2, 3]), truth: i32([0, 1, 0, 1]) };
  const score = { topics: i32([4, 5, 6, 7]), truth: i32([0, 1, 0, 1]) };
  assert.equal(heldOutRouting(learn, score, 2).accuracy, 0);
});

test("evaluate --truth: groups from both splits, tickets without truth left out, plain headline", () => {
  const truth = new Map([
    ["a", "Cards"],
    ["b", "Loans"],
    ["c", "Cards"],
    ["d", "Fraud"],
  ]);
  const routing = routingAgainstTruth(
    { ids: ["a", "b", "x"], topics: [1, 2, 1] },
    { ids: ["c", "d"], topics: [1, 2], names: ["Cards", "Loans"] },
    truth,
  );
  assert.ok(routing);
  assert.equal(routing.groups, 3);
  assert.equal(routing.mapRows, 2);
  assert.equal(routing.accuracy, 0.5);
  assert.equal(routing.named?.accuracy, 0.5);
  const headline = evaluationHeadline({ accuracy: 0.97, macro: { f1: 0.95 } }, routing);
  assert.match(headline, /^agreement with the topic labels \(not a truth\): accuracy 97\.0%/);
  assert.match(
    headline,
    /routing against the truth \(2 held-out tickets, .* over all 3 groups\): accuracy 50\.0%/,
  );
  assert.match(evaluationHeadline({ accuracy: 1, macro: { f1: 1 } }, null), /no --truth given/);
  // A router of people's classes is scored on their held-out labels: the headline says so.
  assert.match(
    evaluationHeadline({ accuracy: 0.5, macro: { f1: 0.33 } }, null, "people's labels"),
    /^agreement with people's held-out labels: accuracy 50\.0%, macro-F1 33\.0%/,
  );
});

test("unit-length topics leave W·H unchanged", () => {
  const model: NmfModel = {
    rows: 2,
    cols: 2,
    k: 2,
    w: Float64Array.from([1, 2, 3, 0]),
    h: Float64Array.from([3, 4, 0, 0.5]),
    iterations: 1,
    converged: true,
    violations: [],
    reconstructionError: 0,
  };
  const product = (m: NmfModel) =>
    [0, 1].flatMap((i) => [0, 1].map((j) => m.w[i * 2]! * m.h[j]! + m.w[i * 2 + 1]! * m.h[2 + j]!));
  const before = product(model);
  const unit = unitTopics(model);
  assert.deepEqual(Array.from(unit.h), [0.6, 0.8, 0, 1]);
  assert.deepEqual(Array.from(unit.w), [5, 1, 15, 0]);
  assert.deepEqual(product(unit), before);
});
