import assert from "node:assert/strict";
import { test } from "node:test";
import { npmiCoherence } from "../../src/topics/coherence.js";
import type { Csr } from "../../src/topics/csr.js";
import { assignTopics, topicReport } from "../../src/topics/report.js";
import { topTermIndices } from "../../src/topics/topic-terms.js";

// 5 documents × 3 topics.
const w = Float64Array.from([3, 1, 0, 0, 0, 0, 0, 2, 2, 1, 1, 2, 0, 0, 5]);

test("assignTopics: argmax with normalized confidence, zero rows unassigned, threshold applied", () => {
  const plain = assignTopics(w, 3);
  assert.deepEqual(Array.from(plain.topic), [0, -1, 1, 2, 2]);
  assert.deepEqual(Array.from(plain.confidence), [0.75, 0, 0.5, 0.5, 1]);
  assert.deepEqual(Array.from(assignTopics(w, 3, 0.6).topic), [0, -1, -1, -1, 2]);
});

test("topicReport: top terms, sizes, shares, confidence and representative documents", () => {
  const vocabulary = ["printer", "toner", "vpn", "password"];
  const h = Float64Array.from([0.9, 0.5, 0, 0, 0, 0, 0.7, 0.2, 0.1, 0, 0, 0.8]);
  const report = topicReport(w, h, 3, vocabulary, {
    topTerms: 2,
    representatives: 1,
    docIds: ["a", "b", "c", "d", "e"],
  });
  assert.equal(report.unassigned, 1);
  assert.deepEqual(report.topics[0], {
    topic: 0,
    terms: [
      { term: "printer", weight: 0.9 },
      { term: "toner", weight: 0.5 },
    ],
    size: 1,
    share: 0.2,
    meanConfidence: 0.75,
    representatives: ["a"],
  });
  assert.deepEqual(report.topics[2]!.representatives, ["e"]);
  assert.equal(report.topics[2]!.size, 2);
  assert.equal(report.topics[2]!.meanConfidence, 0.75);
  assert.deepEqual(
    report.topics[2]!.terms.map((t) => t.term),
    ["password", "printer"],
  );
});

test("topTermIndices: descending weights, ties to the lower column, zeros left out", () => {
  const h = Float64Array.from([0, 2, 5, 2, 0, 1]);
  assert.deepEqual(Array.from(topTermIndices(h, 6, 0, 3)), [2, 1, 3]);
  assert.deepEqual(Array.from(topTermIndices(h, 6, 0, 10)), [2, 1, 3, 5]);
});

test("npmiCoherence: known values for co-occurring, independent and disjoint term pairs", () => {
  // 4 documents over 4 terms: 0 and 1 always together (docs 0, 1); 2 only in doc 2; 3 in docs 0 and 2.
  const x: Csr = {
    rows: 4,
    cols: 4,
    indptr: Int32Array.from([0, 3, 5, 7, 7]),
    indices: Int32Array.from([0, 1, 3, 0, 1, 2, 3]),
    data: Float64Array.from([1, 1, 1, 1, 1, 1, 1]),
  };
  const [together, disjoint, partial] = npmiCoherence(x, [
    Int32Array.from([0, 1]),
    Int32Array.from([1, 2]),
    Int32Array.from([0, 3]),
  ]);
  assert.ok(Math.abs(together! - 1) < 1e-12);
  assert.equal(disjoint, -1);
  // p(0) = p(3) = 1/2, p(0,3) = 1/4: independent, NPMI 0.
  assert.ok(Math.abs(partial!) < 1e-12);
});
