import assert from "node:assert/strict";
import { test } from "node:test";
import { topContributions } from "../../src/classify/explain.js";
import {
  classWeights,
  fitLogistic,
  predictClasses,
  predictProba,
  RowScorer,
} from "../../src/classify/logistic.js";
import type { Csr } from "../../src/topics/csr.js";
import { Rng } from "../../src/util/random.js";
import { pythonReference } from "../harness/python-reference.js";

/** scikit-learn's fit of the same problem: coef_, intercept_ and predict_proba on the training rows. */
const sklearnFit = `
import json, sys
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
d = json.load(sys.stdin)
X = csr_matrix((d["data"], d["indices"], d["indptr"]), shape=(d["rows"], d["cols"]))
m = LogisticRegression(C=d["C"], tol=1e-10, max_iter=10000, class_weight=d["classWeight"])
m.fit(X, np.array(d["y"]), sample_weight=None if d["sampleWeight"] is None else np.array(d["sampleWeight"]))
json.dump({"coef": m.coef_.tolist(), "intercept": m.intercept_.tolist(), "proba": m.predict_proba(X).tolist()}, sys.stdout)
`;

interface SklearnResult {
  coef: number[][];
  intercept: number[];
  proba: number[][];
}

function runSklearn(
  name: string,
  X: Csr,
  y: Int32Array,
  C: number,
  classWeight: "balanced" | null,
  sampleWeight: Float64Array | null,
): SklearnResult {
  const input = JSON.stringify({
    rows: X.rows,
    cols: X.cols,
    indptr: Array.from(X.indptr),
    indices: Array.from(X.indices),
    data: Array.from(X.data),
    y: Array.from(y),
    C,
    classWeight,
    sampleWeight: sampleWeight === null ? null : Array.from(sampleWeight),
  });
  return pythonReference<SklearnResult>(name, ["-c", sklearnFit], input);
}

/** Sparse random rows labelled by a hidden linear model plus noise, so classes overlap. */
function syntheticProblem(rows: number, cols: number, nClasses: number, density: number, seed: number) {
  const rng = new Rng(seed);
  const truth = Float64Array.from({ length: nClasses * cols }, () => 2 * rng.normal());
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  const y = new Int32Array(rows);
  const logits = new Float64Array(nClasses);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < nClasses; k++) logits[k] = rng.normal();
    for (let j = 0; j < cols; j++) {
      if (rng.next() >= density) continue;
      const v = rng.next();
      indices.push(j);
      data.push(v);
      for (let k = 0; k < nClasses; k++) logits[k]! += v * truth[k * cols + j]!;
    }
    indptr[i + 1] = indices.length;
    let best = 0;
    for (let k = 1; k < nClasses; k++) if (logits[k]! > logits[best]!) best = k;
    y[i] = best;
  }
  const X: Csr = { rows, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
  return { X, y };
}

/** |a − b| ≤ tol·max(1, |b|): relative for large values, absolute for small ones. */
function assertClose(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs scikit-learn ${expected}`,
  );
}

function assertMatchesSklearn(
  nClasses: number,
  classWeight: "balanced" | null,
  sampleWeight: Float64Array | null,
  seed: number,
): void {
  const { X, y } = syntheticProblem(200, 50, nClasses, 0.15, seed);
  const C = 0.7;
  const fit = fitLogistic(
    X,
    y,
    nClasses,
    { C, tol: 1e-10, maxIter: 10000, classWeight },
    sampleWeight ?? undefined,
  );
  assert.ok(fit.converged);
  const name = `sklearn-logistic-${nClasses}-classes-${classWeight ?? "unweighted"}${sampleWeight ? "-sample-weights" : ""}-seed-${seed}`;
  const expected = runSklearn(name, X, y, C, classWeight, sampleWeight);
  const F = X.cols;
  if (nClasses === 2) {
    // scikit-learn's binomial coefficient vector is the difference of the two softmax rows.
    for (let j = 0; j < F; j++) {
      assertClose(fit.weights[F + j]! - fit.weights[j]!, expected.coef[0]![j]!, 1e-4, `coef[${j}]`);
    }
    assertClose(fit.intercept[1]! - fit.intercept[0]!, expected.intercept[0]!, 1e-4, "intercept");
  } else {
    for (let k = 0; k < nClasses; k++) {
      for (let j = 0; j < F; j++)
        assertClose(fit.weights[k * F + j]!, expected.coef[k]![j]!, 1e-4, `coef[${k}][${j}]`);
      assertClose(fit.intercept[k]!, expected.intercept[k]!, 1e-4, `intercept[${k}]`);
    }
  }
  const proba = predictProba(fit, X);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < nClasses; k++) {
      assertClose(proba[i * nClasses + k]!, expected.proba[i]![k]!, 1e-4, `proba[${i}][${k}]`);
    }
  }
}

test("four-class fit matches scikit-learn's coefficients, intercepts and probabilities", () => {
  assertMatchesSklearn(4, null, null, 11);
});

test("balanced class weights match scikit-learn's class_weight='balanced'", () => {
  assertMatchesSklearn(3, "balanced", null, 12);
});

test("sample weights combined with balanced class weights match scikit-learn", () => {
  const rng = new Rng(5);
  const sampleWeight = Float64Array.from({ length: 200 }, () => 0.2 + 2 * rng.next());
  assertMatchesSklearn(3, "balanced", sampleWeight, 13);
});

test("two classes match scikit-learn's binomial model", () => {
  assertMatchesSklearn(2, null, null, 14);
});

test("balanced class weights are n_samples / (n_classes · count)", () => {
  const y = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(classWeights(y, 3, "balanced")), [8 / 12, 8 / 6, 8 / 6]);
});

test("separable toy data is classified correctly and probabilities sum to 1", () => {
  // Class k is the only one with feature k; feature 3 is shared noise.
  const rows = 30;
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 3;
    indices.push(i % 3, 3);
    data.push(1 + (i % 5) / 10, 0.5);
    indptr[i + 1] = indices.length;
  }
  const X: Csr = { rows, cols: 4, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
  const model = fitLogistic(X, y, 3, { C: 10 });
  assert.deepEqual(Array.from(predictClasses(model, X)), Array.from(y));
  const proba = predictProba(model, X);
  for (let i = 0; i < rows; i++) {
    const sum = proba[i * 3]! + proba[i * 3 + 1]! + proba[i * 3 + 2]!;
    assert.ok(Math.abs(sum - 1) < 1e-12);
    assert.ok(proba[i * 3 + y[i]!]! > 0.8);
  }

  const out = new Float64Array(3);
  const scorer = new RowScorer(model);
  scorer.proba([1, 3], [1.2, 0.5], out);
  assert.ok(Math.abs(out[0]! + out[1]! + out[2]! - 1) < 1e-12);
  assert.ok(out[1]! > out[0]! && out[1]! > out[2]!);

  const why = topContributions(scorer, [1, 3], [1.2, 0.5], 1, 5);
  assert.equal(why.features[0], 1);
  assert.ok(Math.abs(why.contributions[0]! - 1.2 * model.weights[1 * 4 + 1]!) < 1e-15);
});

test("single-row scoring equals batch scoring bit for bit", () => {
  const { X, y } = syntheticProblem(40, 20, 3, 0.3, 21);
  const model = fitLogistic(X, y, 3);
  const batch = predictProba(model, X);
  const scorer = new RowScorer(model);
  const out = new Float64Array(3);
  for (let i = 0; i < X.rows; i++) {
    const start = X.indptr[i]!;
    const end = X.indptr[i + 1]!;
    scorer.proba(X.indices.subarray(start, end), X.data.subarray(start, end), out);
    for (let k = 0; k < 3; k++) assert.equal(out[k], batch[i * 3 + k]);
  }
});

test("labels outside the class range are rejected", () => {
  const { X } = syntheticProblem(5, 4, 2, 0.5, 1);
  assert.throws(() => fitLogistic(X, Int32Array.from([0, 1, 2, 0, 1]), 2), RangeError);
});

test("the explanation's best terms are the first of all positive contributions sorted, ties by feature", () => {
  const rng = new Rng(4);
  const K = 3;
  const F = 60;
  // Weights drawn from a few values, so equal contributions (ties) are common.
  const weights = Float64Array.from({ length: K * F }, () => Math.floor(rng.next() * 5) - 2);
  const scorer = new RowScorer({ nClasses: K, nFeatures: F, weights, intercept: new Float64Array(K) });
  for (let row = 0; row < 200; row++) {
    const indices = Array.from({ length: F }, (_, j) => j).filter(() => rng.next() < 0.4);
    const values = indices.map(() => Math.floor(rng.next() * 3) + 1);
    const classIndex = row % K;
    const limit = 1 + (row % 7);
    const all = indices
      .map((feature, p) => ({ feature, contribution: values[p]! * weights[classIndex * F + feature]! }))
      .filter((c) => c.contribution > 0)
      .sort((a, b) => b.contribution - a.contribution || a.feature - b.feature)
      .slice(0, limit);
    const why = topContributions(scorer, indices, values, classIndex, limit);
    assert.deepEqual(
      why.features,
      all.map((c) => c.feature),
    );
    assert.deepEqual(
      why.contributions,
      all.map((c) => c.contribution),
    );
  }
});
