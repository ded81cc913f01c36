import assert from "node:assert/strict";
import { test } from "node:test";
import type { Csr } from "../../src/topics/csr.js";
import { defaultKMax, kGrid, MIN_HALF_ROWS_PER_TOPIC, selectK } from "../../src/topics/select-k.js";
import { Rng } from "../../src/util/random.js";

/**
 * Bag-of-words counts from k planted topics: each document draws its terms from one topic's own
 * 15 terms (80%) or from the whole vocabulary (20%), so topics are real but noisy.
 */
function plantedCounts(docs: number, k: number, seed: number): Csr {
  const rng = new Rng(seed);
  const termsPerTopic = 15;
  const cols = k * termsPerTopic;
  const indptr = new Int32Array(docs + 1);
  const indices: number[] = [];
  const data: number[] = [];
  const counts = new Float64Array(cols);
  for (let i = 0; i < docs; i++) {
    counts.fill(0);
    const topic = rng.int(k);
    const length = 20 + rng.int(20);
    for (let n = 0; n < length; n++) {
      const term = rng.next() < 0.8 ? topic * termsPerTopic + rng.int(termsPerTopic) : rng.int(cols);
      counts[term]!++;
    }
    for (let j = 0; j < cols; j++) {
      if (counts[j]! > 0) {
        indices.push(j);
        data.push(counts[j]!);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: docs, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

for (const planted of [4, 6]) {
  test(`selectK picks the planted k = ${planted} and returns the whole curve`, () => {
    const x = plantedCounts(600, planted, planted);
    const selection = selectK(x, { candidates: [2, 3, 4, 5, 6, 7, 8], seed: 1 });
    assert.equal(selection.k, planted, JSON.stringify(selection.curve));
    assert.deepEqual(
      selection.curve.map((c) => c.k),
      [2, 3, 4, 5, 6, 7, 8],
    );
    for (const c of selection.curve) {
      assert.ok(c.stability >= 0 && c.stability <= 1 + 1e-12);
      assert.ok(c.coherence >= -1 && c.coherence <= 1);
      assert.equal(c.score, c.stability);
    }
    assert.equal(selection.atEdge, null);
  });
}

test("a range is searched coarse to fine: the planted k between coarse points is found, far points skipped", () => {
  const x = plantedCounts(1_000, 6, 6);
  const selection = selectK(x, { range: { min: 2, max: 12 }, seed: 1 });
  // Grid 2, 3, 4, 6, 8, 11: coarse 2, 4, 8, 11, then 6 beside the choice, then 6's neighbours (scored).
  assert.equal(selection.k, 6, JSON.stringify(selection.curve));
  assert.deepEqual(
    selection.curve.map((c) => c.k),
    [2, 4, 6, 8, 11],
  );
  assert.equal(selection.atEdge, null);
});

test(`no k beyond one topic per ${MIN_HALF_ROWS_PER_TOPIC} rows of each half is tried`, () => {
  const x = plantedCounts(600, 4, 4);
  const selection = selectK(x, { range: { min: 2, max: 64 }, seed: 1 });
  const largest = Math.max(...selection.curve.map((c) => c.k));
  assert.ok(largest <= 300 / MIN_HALF_ROWS_PER_TOPIC, JSON.stringify(selection.curve));
});

test("a corpus too small for the per-topic bound still gets the smallest k of its range", () => {
  const x = plantedCounts(60, 4, 4);
  const selection = selectK(x, { range: { min: 4, max: 16 }, seed: 1 });
  assert.equal(selection.k, 4);
  assert.deepEqual(
    selection.curve.map((c) => c.k),
    [4],
  );
});

test("a choice at the end of the range is flagged", () => {
  const x = plantedCounts(600, 4, 4);
  const selection = selectK(x, { candidates: [4, 5, 6], seed: 1 });
  assert.equal(selection.k, 4);
  assert.equal(selection.atEdge, "smallest");
});

test("the default k grid grows by √2 and its end scales with the corpus", () => {
  assert.deepEqual(kGrid(8, 100), [8, 11, 16, 23, 32, 45, 64, 91]);
  assert.equal(defaultKMax(1_250, 8), 31);
  assert.equal(defaultKMax(22_500, 8), 256);
  assert.equal(defaultKMax(100, 8), 8);
});
