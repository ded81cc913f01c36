import assert from "node:assert/strict";
import { test } from "node:test";
import type { Csr } from "../../src/topics/csr.js";
import type { NmfModel } from "../../src/topics/nmf.js";
import { refineTopics } from "../../src/topics/refine-topics.js";
import { assignTopics } from "../../src/topics/report.js";

const cols = 5;
const unit = (terms: number[]) => {
  const row = new Float64Array(cols);
  for (const t of terms) row[t] = 1 / Math.sqrt(terms.length);
  return row;
};

/** Ten tickets: five about terms 0 and 1, five about terms 2 and 3 (unit TF-IDF rows, stored sparse). */
function tickets(): Csr {
  const rows = 10;
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  for (let i = 0; i < rows; i++) {
    indices.push(...(i < 5 ? [0, 1] : [2, 3]));
    indptr[i + 1] = indices.length;
  }
  return {
    rows,
    cols,
    indptr,
    indices: Int32Array.from(indices),
    data: new Float64Array(indices.length).fill(Math.SQRT1_2),
  };
}

/**
 * A fit whose topics are off their tickets: topic 0 also holds term 2 (a word both groups share in a
 * real fit), topic 1 only term 3, and topic 2 (term 4) labels no ticket.
 */
function offFit(x: Csr): NmfModel {
  const k = 3;
  const h = new Float64Array(k * cols);
  h.set(unit([0, 1, 2]), 0);
  h.set(unit([3]), cols);
  h.set(unit([4]), 2 * cols);
  const w = new Float64Array(x.rows * k);
  for (let i = 0; i < x.rows; i++) w[i * k + (i < 5 ? 0 : 1)] = 1;
  return {
    rows: x.rows,
    cols,
    k,
    w,
    h,
    iterations: 1,
    converged: true,
    violations: [0],
    reconstructionError: 1,
  };
}

test("refineTopics makes each topic the unit mean of the tickets it labels and projects the tickets again", () => {
  const x = tickets();
  const model = offFit(x);
  const refined = refineTopics(x, model);
  assert.equal(refined.k, 3);
  const close = (a: Float64Array, b: Float64Array) => a.every((v, j) => Math.abs(v - b[j]!) < 1e-12);
  assert.ok(close(refined.h.subarray(0, cols), unit([0, 1])), `topic 0 ${refined.h.subarray(0, cols)}`);
  assert.ok(
    close(refined.h.subarray(cols, 2 * cols), unit([2, 3])),
    `topic 1 ${refined.h.subarray(cols, 2 * cols)}`,
  );
  // A topic without tickets keeps its terms.
  assert.ok(close(refined.h.subarray(2 * cols), unit([4])));
  assert.deepEqual([...assignTopics(refined.w, 3).topic], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  // The refined topics reproduce the tickets (X = W·H exactly here), where the fit's did not.
  assert.ok(refined.reconstructionError < 1e-3, `error ${refined.reconstructionError}`);
  // The fitted model is left as it was.
  assert.ok(close(model.h.subarray(0, cols), unit([0, 1, 2])));
});

/** 60 random sparse unit rows over 12 terms and a random 4-topic fit (seeded, so the test is fixed). */
function randomFit(): { x: Csr; model: NmfModel } {
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const rows = 60;
  const terms = 12;
  const k = 4;
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = [...new Set([0, 1, 2].map(() => Math.floor(random() * terms)))].sort((a, b) => a - b);
    const values = row.map(() => 0.2 + random());
    const norm = Math.hypot(...values);
    indices.push(...row);
    data.push(...values.map((v) => v / norm));
    indptr[i + 1] = indices.length;
  }
  const x = { rows, cols: terms, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
  const h = Float64Array.from({ length: k * terms }, () => random());
  const w = Float64Array.from({ length: rows * k }, () => random());
  const model = {
    rows,
    cols: terms,
    k,
    w,
    h,
    iterations: 1,
    converged: true,
    violations: [0],
    reconstructionError: 1,
  };
  return { x, model };
}

test("refineTopics passes are repeated steps, stopped once no ticket changes topic", () => {
  const { x, model } = randomFit();
  const once = refineTopics(x, model, 1);
  const twice = refineTopics(x, model, 2);
  const stepped = refineTopics(x, once, 1);
  assert.ok(
    twice.h.every((v, j) => Math.abs(v - stepped.h[j]!) < 1e-12),
    "two passes are one pass twice",
  );
  const topics = (m: NmfModel) => [...assignTopics(m.w, m.k).topic];
  assert.notDeepEqual(topics(once), topics(twice), "this fit needs more than one pass");
  // Many passes end at a fixed point: one more pass moves no ticket, and the passes left unused change nothing.
  const converged = refineTopics(x, model, 50);
  assert.deepEqual(topics(refineTopics(x, converged, 1)), topics(converged));
  assert.deepEqual([...refineTopics(x, model, 100).h], [...converged.h]);
});
