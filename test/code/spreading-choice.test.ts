import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { neighbourGraph } from "../../src/review/propagate.js";
import { cappedSpreadWeight, chooseSpreading } from "../../src/review/spreading-choice.js";
import type { Csr } from "../../src/topics/csr.js";

/** Two chains of 9 rows: row i of a chain holds features i and i+1 (chain A on 0–9, chain B on 10–19). */
function chains(): Csr {
  const indptr = new Int32Array(19);
  const indices: number[] = [];
  for (let i = 0; i < 18; i++) {
    const f = i < 9 ? i : i + 1;
    indices.push(f, f + 1);
    indptr[i + 1] = indices.length;
  }
  return {
    rows: 18,
    cols: 20,
    indptr,
    indices: Int32Array.from(indices),
    data: new Float64Array(36).fill(Math.SQRT1_2),
  };
}

const spreading = { neighbours: 10, alpha: 0.5, iterations: 10, threshold: 0.8 };
const options = {
  spreading,
  weights: [0.1],
  humanWeight: 1,
  logistic: { C: 10, maxIter: 200, classWeight: "balanced" as const },
  folds: 2,
  seed: 1,
};

describe("label spreading is chosen per deployment by cross-validation on people's labels", () => {
  const x = chains();
  const graph = neighbourGraph(x, spreading.neighbours);

  test("spreading is chosen where only the spread tickets link a held-out label to its class's other label", () => {
    // People labelled each chain's two ends: a held-out end shares no feature with the other end, only
    // the spread tickets between them carry the class across.
    const labelled = { at: [0, 8, 9, 17], y: Int32Array.from([0, 0, 1, 1]), nClasses: 2 };
    const choice = chooseSpreading(x, graph, labelled, options);
    assert.equal(choice.weight, 0.1, JSON.stringify(choice));
    assert.equal(choice.scored, 4);
    assert.equal(choice.cvMacroF1!["0.1"], 1);
    assert.ok(choice.cvMacroF1!["0"]! < 1, JSON.stringify(choice));
    assert.deepEqual(chooseSpreading(x, graph, labelled, options), choice, "deterministic");
  });

  test("a tie goes to no spreading: with every ticket labelled nothing spreads, the options score the same", () => {
    const labelled = {
      at: Array.from({ length: 18 }, (_, i) => i),
      y: Int32Array.from({ length: 18 }, (_, i) => (i < 9 ? 0 : 1)),
      nClasses: 2,
    };
    const choice = chooseSpreading(x, graph, labelled, options);
    assert.equal(choice.cvMacroF1!["0"], choice.cvMacroF1!["0.1"]);
    assert.equal(choice.weight, 0);
  });

  test("too few labels to decide: no spreading, no scores", () => {
    // One class with two labels, the other with one: fewer than two classes can be scored.
    const labelled = { at: [0, 8, 9], y: Int32Array.from([0, 0, 1]), nClasses: 2 };
    assert.deepEqual(chooseSpreading(x, graph, labelled, options), {
      weight: 0,
      cvMacroF1: null,
      scored: 0,
      folds: 2,
    });
  });

  test("the spread tickets together never weigh more than people's labels", () => {
    assert.equal(cappedSpreadWeight(0.1, 384, 16_534), 384 / 16_534);
    assert.equal(cappedSpreadWeight(0.1, 770, 3_000), 0.1);
    assert.equal(cappedSpreadWeight(0.1, 10, 0), 0);
  });
});
