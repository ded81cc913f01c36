import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fitLogistic } from "../../src/classify/logistic.js";
import { chooseSelfTraining, selfTrainedGuesses } from "../../src/review/self-training.js";
import type { Csr } from "../../src/topics/csr.js";
import { parseSelfTrainThresholds } from "../../tasks/tickets/train.js";

/** Rows of two features each (L2-normalised), in the given order. */
function rowsOf(features: readonly [number, number][], cols: number): Csr {
  const indptr = Int32Array.from({ length: features.length + 1 }, (_, i) => 2 * i);
  return {
    rows: features.length,
    cols,
    indptr,
    indices: Int32Array.from(features.flat()),
    data: new Float64Array(2 * features.length).fill(Math.SQRT1_2),
  };
}

// People labelled two tickets per class that share no feature with each other (class 0: f0 f1 and
// f2 f3; class 1: f4 f5 and f6 f7); unlabelled tickets bridge them (f1 f2 three times, f5 f6 three
// times). A held-out label is reached only through the router's guesses on the bridges.
const x = rowsOf(
  [
    [0, 1],
    [2, 3],
    [4, 5],
    [6, 7],
    [1, 2],
    [1, 2],
    [1, 2],
    [5, 6],
    [5, 6],
    [5, 6],
  ],
  8,
);
const labelled = { at: [0, 1, 2, 3], y: Int32Array.from([0, 0, 1, 1]), nClasses: 2 };
const unlabelled = [4, 5, 6, 7, 8, 9];
const options = {
  thresholds: [0.9, 0.5],
  humanWeight: 1,
  logistic: { C: 10, maxIter: 200, classWeight: "balanced" as const },
  folds: 2,
  seed: 1,
  resamples: 200,
};

describe("self-training is chosen per deployment by cross-validation on people's labels", () => {
  test("the guesses carry a held-out label's class; on four labels the gain is not significant, so off", () => {
    const choice = chooseSelfTraining(x, unlabelled, labelled, options);
    assert.equal(choice.scored, 4);
    assert.equal(choice.cvMacroF1!["0.5"], 1, JSON.stringify(choice));
    // Without guesses the held-out tickets' features are all unseen: both get one class, one is wrong.
    assert.ok(choice.cvMacroF1!.off! < 1, JSON.stringify(choice));
    // A resample that draws neither wrong ticket shows no gain: the interval reaches 0, nothing is chosen.
    assert.ok(choice.differenceInterval!["0.5"]![0] <= 0, JSON.stringify(choice));
    assert.equal(choice.threshold, null);
    assert.deepEqual(chooseSelfTraining(x, unlabelled, labelled, options), choice, "deterministic");
  });

  test("nothing unlabelled, no thresholds, or too few labels to score: not decided, no self-training", () => {
    const none = { threshold: null, cvMacroF1: null, differenceInterval: null, scored: 0, folds: 2 };
    assert.deepEqual(chooseSelfTraining(x, [], labelled, options), none);
    assert.deepEqual(chooseSelfTraining(x, unlabelled, labelled, { ...options, thresholds: [] }), none);
    const oneScorable = { at: [0, 1, 2], y: Int32Array.from([0, 0, 1]), nClasses: 2 };
    assert.deepEqual(chooseSelfTraining(x, unlabelled, oneScorable, options), none);
  });

  test("a guess is the router's top class, kept only at or above the threshold", () => {
    const model = fitLogistic(
      rowsOf(
        [
          [0, 1],
          [4, 5],
        ],
        8,
      ),
      Int32Array.from([0, 1]),
      2,
      options.logistic,
    );
    const sure = selfTrainedGuesses(model, x, unlabelled, 0.5);
    assert.deepEqual(sure, { rows: unlabelled, classes: [0, 0, 0, 1, 1, 1] });
    assert.deepEqual(selfTrainedGuesses(model, x, unlabelled, 1), { rows: [], classes: [] });
  });

  test("--self-train-thresholds takes shares in (0, 1], empty for none, and names what it refuses", () => {
    assert.deepEqual(parseSelfTrainThresholds("0.9,0.7,0.5"), [0.9, 0.7, 0.5]);
    assert.deepEqual(parseSelfTrainThresholds(""), []);
    assert.throws(
      () => parseSelfTrainThresholds("0.9,1.5,x"),
      /--self-train-thresholds: 1\.5, x not a share/,
    );
    assert.throws(() => parseSelfTrainThresholds("0"), /0 not a share/);
  });
});
