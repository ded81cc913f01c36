import assert from "node:assert/strict";
import { test } from "node:test";
import { matchTopics, type TopicSet } from "../../src/topics/match.js";
import { Rng } from "../../src/util/random.js";

const vocabulary = Array.from({ length: 40 }, (_, j) => `term${j}`);

/** k topics with mostly separate supports over the vocabulary, plus a little shared mass. */
function model(k: number, seed: number): TopicSet {
  const rng = new Rng(seed);
  const h = new Float64Array(k * vocabulary.length);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < vocabulary.length; j++) {
      h[t * vocabulary.length + j] = j % k === t ? 1 + rng.next() : 0.05 * rng.next();
    }
  }
  return { vocabulary, h, k, ids: Array.from({ length: k }, (_, t) => 10 + t) };
}

/** The same topics as rows in another order (row r of the result is row order[r] of m). */
function permuteRows(m: TopicSet, order: number[]): TopicSet {
  const cols = m.vocabulary.length;
  const h = new Float64Array(order.length * cols);
  order.forEach((from, to) => {
    h.set(m.h.subarray(from * cols, (from + 1) * cols), to * cols);
  });
  return { vocabulary: m.vocabulary, h, k: order.length };
}

test("permuted topics are matched back exactly and keep their previous ids", () => {
  const previous = model(6, 1);
  const order = [3, 0, 5, 1, 4, 2];
  const result = matchTopics(permuteRows(previous, order), previous);
  assert.deepEqual(
    result.ids,
    order.map((p) => 10 + p),
  );
  assert.deepEqual(result.added, []);
  assert.deepEqual(result.vanished, []);
  for (const pair of result.matched) assert.ok(Math.abs(pair.similarity - 1) < 1e-12);
});

test("a dropped topic is reported vanished and an added one new, with a fresh id", () => {
  const previous = model(6, 2);
  const dropped = matchTopics(permuteRows(previous, [0, 1, 2, 4, 5]), previous);
  assert.deepEqual(dropped.vanished, [13]);
  assert.deepEqual(dropped.ids, [10, 11, 12, 14, 15]);

  const fresh = model(7, 3); // row 6 owns terms j ≡ 6 (mod 7), unlike any previous topic
  const combined = new Float64Array(7 * vocabulary.length);
  combined.set(previous.h);
  combined.set(fresh.h.subarray(6 * vocabulary.length), 6 * vocabulary.length);
  const next: TopicSet = { vocabulary, h: combined, k: 7 };
  const added = matchTopics(next, previous, { threshold: 0.5 });
  assert.deepEqual(added.added, [6]);
  assert.deepEqual(added.ids, [10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual(added.vanished, []);
});

test("vocabulary order and extra or missing terms do not change the matching", () => {
  const previous = model(5, 4);
  const cols = vocabulary.length;
  const order = new Rng(9).shuffle(Array.from({ length: cols }, (_, j) => j));
  // New model: columns reordered, plus two terms the previous model never saw (zero weight).
  const shuffledVocabulary = [...order.map((j) => vocabulary[j]!), "unseen-a", "unseen-b"];
  const h = new Float64Array(5 * (cols + 2));
  for (let t = 0; t < 5; t++) {
    for (let to = 0; to < cols; to++) h[t * (cols + 2) + to] = previous.h[t * cols + order[to]!]!;
  }
  const result = matchTopics({ vocabulary: shuffledVocabulary, h, k: 5 }, previous);
  assert.deepEqual(result.ids, [10, 11, 12, 13, 14]);
  for (const pair of result.matched) assert.ok(Math.abs(pair.similarity - 1) < 1e-12);
});

test("assigned pairs below the threshold are not matches", () => {
  const previous = model(3, 5);
  const unrelated: TopicSet = {
    vocabulary: ["other1", "other2", "other3"],
    h: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    k: 3,
  };
  const result = matchTopics(unrelated, previous);
  assert.deepEqual(result.matched, []);
  assert.deepEqual(result.ids, [13, 14, 15]);
  assert.deepEqual(result.vanished, [10, 11, 12]);
});
