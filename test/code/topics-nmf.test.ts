import assert from "node:assert/strict";
import { test } from "node:test";
import type { Csr } from "../../src/topics/csr.js";
import { assignMinCost } from "../../src/topics/hungarian.js";
import { fitNmf, reconstructionError, transformNmf } from "../../src/topics/nmf.js";
import { randomizedSvd } from "../../src/topics/randomized-svd.js";
import { rowCosines } from "../../src/topics/topic-terms.js";
import { Rng } from "../../src/util/random.js";
import { pythonReference } from "../harness/python-reference.js";

interface Planted {
  x: Csr;
  dense: Float64Array;
  h: Float64Array;
  k: number;
  noiseNorm: number;
}

/**
 * X = W*·H* + N: k sparse non-negative topics over cols terms (disjoint blocks, or windows that
 * overlap their neighbours by a third), documents dominated by one topic, sparse non-negative noise.
 */
function planted(rows: number, cols: number, k: number, overlap: boolean, seed: number): Planted {
  const rng = new Rng(seed);
  const h = new Float64Array(k * cols);
  const width = overlap ? Math.floor((cols / k) * 1.5) : Math.floor(cols / k);
  const step = Math.floor(cols / k);
  for (let t = 0; t < k; t++) {
    for (let j = t * step; j < Math.min(cols, t * step + width); j++) h[t * cols + j] = 0.5 + rng.next();
  }
  const dense = new Float64Array(rows * cols);
  let noise = 0;
  for (let i = 0; i < rows; i++) {
    const main = i % k;
    const second = rng.int(k);
    const mainWeight = 1 + rng.next();
    const secondWeight = i % 3 === 0 ? 0.4 * rng.next() : 0;
    for (let j = 0; j < cols; j++) {
      let value = mainWeight * h[main * cols + j]! + secondWeight * h[second * cols + j]!;
      if (rng.next() < 0.05) {
        const e = 0.05 * rng.next();
        value += e;
        noise += e * e;
      }
      dense[i * cols + j] = value;
    }
  }
  return { x: toCsr(dense, rows, cols), dense, h, k, noiseNorm: Math.sqrt(noise) };
}

function toCsr(dense: Float64Array, rows: number, cols: number): Csr {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (dense[i * cols + j] !== 0) {
        indices.push(j);
        data.push(dense[i * cols + j]!);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** For each planted topic, the best cosine with any learned topic. */
function bestCosines(learned: Float64Array, truth: Float64Array, k: number, cols: number): number[] {
  const cos = rowCosines(truth, k, learned, k, cols);
  return Array.from({ length: k }, (_, t) => Math.max(...cos.subarray(t * k, t * k + k)));
}

for (const [k, overlap] of [
  [4, false],
  [5, true],
  [6, false],
] as const) {
  test(`NMF recovers ${k} planted ${overlap ? "overlapping" : "disjoint"} topics near the noise floor`, () => {
    const p = planted(240, 90, k, overlap, 10 + k);
    const model = fitNmf(p.x, { k, tol: 1e-6, maxIter: 500 });
    for (const [t, cos] of bestCosines(model.h, p.h, k, p.x.cols).entries()) {
      assert.ok(cos > 0.95, `planted topic ${t}: best cosine ${cos}`);
    }
    assert.ok(
      model.reconstructionError <= 1.05 * p.noiseNorm,
      `${model.reconstructionError} vs ${p.noiseNorm}`,
    );
    assert.ok(model.reconstructionError >= 0.5 * p.noiseNorm, "cannot fit far below the noise");
  });
}

test("NMF is bit-identical for the same seed and still recovers topics with other seeds", () => {
  const p = planted(200, 80, 5, true, 3);
  const a = fitNmf(p.x, { k: 5, seed: 4 });
  const b = fitNmf(p.x, { k: 5, seed: 4 });
  assert.deepEqual(a.w, b.w);
  assert.deepEqual(a.h, b.h);
  for (const options of [
    { seed: 99 },
    { seed: 7, init: "random" as const },
    { seed: 8, init: "nndsvd" as const },
  ]) {
    const other = fitNmf(p.x, { k: 5, tol: 1e-6, maxIter: 1000, ...options });
    for (const cos of bestCosines(other.h, p.h, 5, p.x.cols))
      assert.ok(cos > 0.95, `${JSON.stringify(options)}: ${cos}`);
  }
});

test("NMF is bit-identical on 1, 2 and 3 threads, with and without regularization", () => {
  const p = planted(300, 70, 4, true, 5);
  for (const penalties of [{}, { alphaW: 0.001, l1Ratio: 0.5 }]) {
    const serial = fitNmf(p.x, { k: 4, tol: 1e-6, maxIter: 300, threads: 1, ...penalties });
    for (const threads of [2, 3]) {
      const parallel = fitNmf(p.x, { k: 4, tol: 1e-6, maxIter: 300, threads, ...penalties });
      assert.equal(parallel.iterations, serial.iterations);
      assert.deepEqual(parallel.w, serial.w);
      assert.deepEqual(parallel.h, serial.h);
    }
  }
});

test("reconstructionError equals the dense ‖X − WH‖_F", () => {
  const p = planted(60, 30, 3, false, 5);
  const model = fitNmf(p.x, { k: 3, maxIter: 5 });
  let sum = 0;
  for (let i = 0; i < 60; i++) {
    for (let j = 0; j < 30; j++) {
      let wh = 0;
      for (let t = 0; t < 3; t++) wh += model.w[i * 3 + t]! * model.h[t * 30 + j]!;
      sum += (p.dense[i * 30 + j]! - wh) ** 2;
    }
  }
  assert.ok(Math.abs(model.reconstructionError - Math.sqrt(sum)) < 1e-9 * Math.sqrt(sum));
  assert.equal(reconstructionError(p.x, model.w, model.h, 3), model.reconstructionError);
});

test("transformNmf on the training matrix reproduces W's argmax for ≥ 95% of rows", () => {
  const p = planted(300, 90, 5, true, 21);
  const model = fitNmf(p.x, { k: 5 });
  const w = transformNmf(p.x, model.h, 5);
  let same = 0;
  for (let i = 0; i < p.x.rows; i++) if (argmax(w, i, 5) === argmax(model.w, i, 5)) same++;
  assert.ok(same / p.x.rows >= 0.95, `${same}/${p.x.rows}`);
});

test("randomized SVD is exact (as numpy's SVD) on a matrix whose rank fits the sketch", () => {
  const rng = new Rng(1);
  const rows = 70;
  const cols = 40;
  const rank = 8;
  const left = Float64Array.from({ length: rows * rank }, () => (rng.next() < 0.4 ? rng.normal() : 0));
  const right = Float64Array.from({ length: rank * cols }, () => rng.normal());
  const dense = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < rank; r++) {
      for (let j = 0; j < cols; j++) dense[i * cols + j]! += left[i * rank + r]! * right[r * cols + j]!;
    }
  }
  const script =
    "import json,sys,numpy as np; d=json.load(sys.stdin); a=np.array(d['a']).reshape(d['r'],d['c']);" +
    "print(json.dumps(np.linalg.svd(a,compute_uv=False)[:5].tolist()))";
  const exact = pythonReference<number[]>(
    "numpy-singular-values",
    ["-c", script],
    JSON.stringify({ a: Array.from(dense), r: rows, c: cols }),
  );
  for (const x of [toCsr(dense, rows, cols), transposeCsr(dense, rows, cols)]) {
    const svd = randomizedSvd(x, 5, new Rng(2));
    for (let c = 0; c < 5; c++)
      assert.ok(Math.abs(svd.s[c]! - exact[c]!) < 1e-10 * exact[0]!, `s${c}: ${svd.s[c]} vs ${exact[c]}`);
  }
});

test("assignMinCost finds the optimal assignment (brute force check), square and rectangular", () => {
  const rng = new Rng(5);
  for (const [rows, cols] of [
    [5, 5],
    [3, 6],
    [6, 3],
  ] as const) {
    for (let trial = 0; trial < 20; trial++) {
      const cost = Float64Array.from({ length: rows * cols }, () => Math.round(rng.next() * 20));
      const assignment = assignMinCost(cost, rows, cols);
      const used = new Set<number>();
      let total = 0;
      assignment.forEach((c, r) => {
        if (c < 0) return;
        assert.ok(!used.has(c));
        used.add(c);
        total += cost[r * cols + c]!;
      });
      assert.equal(used.size, Math.min(rows, cols));
      assert.equal(total, bruteForceMin(cost, rows, cols));
    }
  }
});

function bruteForceMin(cost: Float64Array, rows: number, cols: number): number {
  let best = Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(cols).fill(false);
  const small = Math.min(rows, cols);
  const walk = (r: number, assigned: number, total: number): void => {
    if (assigned === small) {
      best = Math.min(best, total);
      return;
    }
    if (r === rows) return;
    if (rows - r > small - assigned) walk(r + 1, assigned, total); // leave row r unassigned
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      walk(r + 1, assigned + 1, total + cost[r * cols + c]!);
      used[c] = false;
    }
  };
  walk(0, 0, 0);
  return best;
}

function transposeCsr(dense: Float64Array, rows: number, cols: number): Csr {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = dense[i * cols + j]!;
  return toCsr(t, cols, rows);
}

function argmax(w: Float64Array, i: number, k: number): number {
  let best = 0;
  for (let t = 1; t < k; t++) if (w[i * k + t]! > w[i * k + best]!) best = t;
  return best;
}
