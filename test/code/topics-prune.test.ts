import assert from "node:assert/strict";
import { test } from "node:test";
import type { Csr } from "../../src/topics/csr.js";
import type { NmfModel } from "../../src/topics/nmf.js";
import { pruneSmallTopics } from "../../src/topics/prune-topics.js";
import { assignTopics } from "../../src/topics/report.js";

const cols = 4;

/** 50 tickets on term 0, 45 on term 1, 3 on terms 1 and 2 (a handful); topic t is term t, topic 3 labels none. */
function fit(): { x: Csr; model: NmfModel } {
  const terms = [
    ...Array.from({ length: 50 }, () => [0]),
    ...Array.from({ length: 45 }, () => [1]),
    ...Array.from({ length: 3 }, () => [1, 2]),
  ];
  const rows = terms.length;
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  terms.forEach((ts, i) => {
    indices.push(...ts);
    data.push(...ts.map((t) => (t === 2 ? 0.8 : ts.length > 1 ? 0.6 : 1)));
    indptr[i + 1] = indices.length;
  });
  const k = 4;
  const h = new Float64Array(k * cols);
  for (let t = 0; t < k; t++) h[t * cols + t] = 1;
  const w = new Float64Array(rows * k);
  terms.forEach((ts, i) => {
    w[i * k + (ts.includes(2) ? 2 : ts[0]!)] = 1;
  });
  const x = { rows, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
  return {
    x,
    model: { rows, cols, k, w, h, iterations: 1, converged: true, violations: [0], reconstructionError: 0 },
  };
}

test("pruneSmallTopics drops topics labelling fewer than 40 tickets and projects their tickets on the others", () => {
  const { x, model } = fit();
  const { nmf, prune } = pruneSmallTopics(x, model, 1);
  assert.deepEqual(prune, { rule: prune.rule, fromK: 4, k: 2, minTickets: 40 });
  assert.equal(nmf.k, 2);
  assert.deepEqual([...nmf.h], [1, 0, 0, 0, 0, 1, 0, 0]);
  const topic = assignTopics(nmf.w, 2).topic;
  assert.deepEqual([topic[0], topic[50], topic[97]], [0, 1, 1]);
});

test("pruneSmallTopics keeps the largest topics up to the range's smallest k, and the model when none is small", () => {
  const { x, model } = fit();
  assert.equal(pruneSmallTopics(x, model, 3).prune.k, 3);
  const kept = pruneSmallTopics(x, model, 1, 1);
  assert.equal(kept.prune.k, 3);
  const none = pruneSmallTopics(x, model, 4);
  assert.equal(none.nmf, model);
});
