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
