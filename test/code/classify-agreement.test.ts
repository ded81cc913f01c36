import assert from "node:assert/strict";
import { test } from "node:test";
import { majorityMapping, normalizedMutualInfo } from "../../src/classify/agreement.js";
import { Rng } from "../../src/util/random.js";
import { pythonReference } from "../harness/python-reference.js";

function sklearnNmi(pairs: [number[], number[]][]): number[] {
  const script = `
import json, sys
from sklearn.metrics import normalized_mutual_info_score
print(json.dumps([normalized_mutual_info_score(a, b) for a, b in json.load(sys.stdin)]))
`;
  return pythonReference("sklearn-nmi", ["-c", script], JSON.stringify(pairs));
}

test("NMI matches scikit-learn's normalized_mutual_info_score", () => {
  const rng = new Rng(8);
  const truth = Array.from({ length: 300 }, () => rng.int(5));
  // Clusters that follow the truth 70% of the time, with a different numbering and one extra cluster.
  const clusters = truth.map((t) => (rng.next() < 0.7 ? (t * 3 + 1) % 7 : rng.int(6)));
  const pairs: [number[], number[]][] = [
    [truth, clusters],
    [
      [0, 0, 1, 1, 2, 2],
      [1, 1, 0, 0, 2, 2],
    ],
    [
      [0, 0, 0, 0],
      [0, 1, 2, 3],
    ],
    [
      [1, 1, 1],
      [4, 4, 4],
    ],
    [
      [0, 1, 0, 1],
      [0, 0, 1, 1],
    ],
  ];
  const expected = sklearnNmi(pairs);
  pairs.forEach(([a, b], i) => {
    const nmi = normalizedMutualInfo(Int32Array.from(a), Int32Array.from(b));
    assert.ok(Math.abs(nmi - expected[i]!) < 1e-12, `pair ${i}: ${nmi} vs scikit-learn ${expected[i]}`);
  });
});

test("majority mapping sends each cluster to its most frequent class", () => {
  const clusters = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2, 2]);
  const truth = Int32Array.from([2, 2, 0, 1, 0, 1, 1, 0, 1]);
  const { mapping, predictions } = majorityMapping(clusters, truth, 4, 3);
  // Cluster 1 ties between classes 0 and 1 (lowest wins); cluster 3 is empty.
  assert.deepEqual(Array.from(mapping), [2, 0, 1, -1]);
  assert.deepEqual(Array.from(predictions), [2, 2, 2, 0, 0, 1, 1, 1, 1]);
});
