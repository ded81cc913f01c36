import assert from "node:assert/strict";
import { test } from "node:test";
import type { Csr } from "../../src/topics/csr.js";
import { mergeTopics } from "../../src/topics/merge-topics.js";
import type { NmfModel } from "../../src/topics/nmf.js";
import { assignTopics } from "../../src/topics/report.js";

/**
 * Three fitted topics over six terms: topics 0 (terms 0, 1) and 1 (term 2) are one pattern split in
 * two (the first ten tickets load on both, with weights that vary), topic 2 (terms 4, 5) has tickets of its own.
 */
function splitFit(): { x: Csr; model: NmfModel } {
  const cols = 6;
  const k = 3;
  const unit = (terms: number[]) => {
    const row = new Float64Array(cols);
    for (const t of terms) row[t] = 1 / Math.sqrt(terms.length);
    return row;
  };
  const h = new Float64Array(k * cols);
  h.set(unit([0, 1]), 0);
  h.set(unit([2]), cols);
  h.set(unit([4, 5]), 2 * cols);
  const rows = 20;
  const w = new Float64Array(rows * k);
  for (let i = 0; i < 10; i++) [w[i * k], w[i * k + 1]] = [1 + i / 10, 0.8 + i / 20];
  for (let i = 10; i < rows; i++) w[i * k + 2] = 1 + (i - 10) / 10;
  // X = W·H exactly, stored sparse.
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let v = 0;
      for (let t = 0; t < k; t++) v += w[i * k + t]! * h[t * cols + j]!;
      if (v > 0) {
        indices.push(j);
        data.push(v);
      }
    }
    indptr[i + 1] = indices.length;
  }
  const x = { rows, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
  const model = {
    rows,
    cols,
    k,
    w,
    h,
    iterations: 1,
    converged: true,
    violations: [0],
    reconstructionError: 0,
  };
  return { x, model };
}

test("mergeTopics merges topics that share their tickets, keeps the others, and reports the whole curve", () => {
  const { x, model } = splitFit();
  const { nmf, merge } = mergeTopics(x, model);
  assert.equal(merge.fromK, 3);
  assert.equal(merge.k, 2);
  assert.equal(nmf.k, 2);
  assert.deepEqual(merge.groupOf, [0, 0, 1]);
  // The whole agglomeration, to one topic: the split pair overlaps fully, the rest not at all.
  assert.deepEqual(
    merge.curve.map((s) => s.k),
    [2, 1],
  );
  assert.ok(Math.abs(merge.curve[0]!.overlap - 0.99) < 0.01, `overlap ${merge.curve[0]!.overlap}`);
  assert.equal(merge.curve[1]!.overlap, 0);
  // Merged topics have unit length and every ticket is projected on them.
  for (let g = 0; g < 2; g++) {
    const row = nmf.h.subarray(g * x.cols, (g + 1) * x.cols);
    assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-12);
  }
  const topics = assignTopics(nmf.w, 2).topic;
  assert.deepEqual([...topics], [...Array(10).fill(0), ...Array(10).fill(1)]);
  assert.ok(nmf.reconstructionError < 0.2 * Math.sqrt(x.data.reduce((s, v) => s + v * v, 0)));
});

test("mergeTopics leaves distinct topics as fitted (the same model) and is deterministic", () => {
  const { x, model } = splitFit();
  const kept = mergeTopics(x, model, 1.01);
  assert.equal(kept.nmf, model);
  assert.equal(kept.merge.k, 3);
  assert.deepEqual(kept.merge.groupOf, [0, 1, 2]);
  const a = mergeTopics(x, model);
  const b = mergeTopics(x, model);
  assert.deepEqual(a.nmf.w, b.nmf.w);
  assert.deepEqual(a.nmf.h, b.nmf.h);
});
