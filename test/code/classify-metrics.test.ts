import assert from "node:assert/strict";
import { test } from "node:test";
import {
  accuracy,
  classificationReport,
  confusionCounts,
  summarizeConfusion,
} from "../../src/classify/metrics.js";
import { pythonReference } from "../harness/python-reference.js";

/** scikit-learn's classification_report (output_dict) and confusion_matrix of the same labels. */
const sklearnReport = `
import json, sys
from sklearn.metrics import classification_report, confusion_matrix
d = json.load(sys.stdin)
r = classification_report(d["yTrue"], d["yPred"], output_dict=True, zero_division=0)
m = confusion_matrix(d["yTrue"], d["yPred"], labels=list(range(d["k"])))
json.dump({"report": r, "confusion": m.tolist()}, sys.stdout)
`;

interface SklearnScores {
  precision: number;
  recall: number;
  "f1-score": number;
  support: number;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs scikit-learn ${expected}`);
}

test("report matches scikit-learn's classification_report, including a never-predicted class", () => {
  // Class 3 is never predicted (precision 0/0 → 0), class 2 is over-predicted.
  const yTrue = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 0, 1, 2, 2, 1, 0, 3, 1]);
  const yPred = Int32Array.from([0, 0, 1, 2, 1, 1, 2, 2, 2, 2, 0, 1, 0, 1, 2, 0, 1, 2, 2, 1]);
  const input = JSON.stringify({ yTrue: Array.from(yTrue), yPred: Array.from(yPred), k: 4 });
  const expected = pythonReference<{
    report: Record<string, SklearnScores> & { accuracy: number };
    confusion: number[][];
  }>("sklearn-classification-report", ["-c", sklearnReport], input);
  const report = classificationReport(yTrue, yPred, 4);
  close(report.accuracy, expected.report.accuracy, "accuracy");
  for (let k = 0; k < 4; k++) {
    const want = expected.report[String(k)]!;
    close(report.perClass.precision[k]!, want.precision, `precision ${k}`);
    close(report.perClass.recall[k]!, want.recall, `recall ${k}`);
    close(report.perClass.f1[k]!, want["f1-score"], `f1 ${k}`);
    assert.equal(report.perClass.support[k], want.support);
  }
  for (const [mine, theirs] of [
    [report.macro, expected.report["macro avg"]!],
    [report.weighted, expected.report["weighted avg"]!],
  ] as const) {
    close(mine.precision, theirs.precision, "average precision");
    close(mine.recall, theirs.recall, "average recall");
    close(mine.f1, theirs["f1-score"], "average f1");
  }
  assert.deepEqual(report.confusion, expected.confusion);

  const summary = summarizeConfusion(confusionCounts(yTrue, yPred, 4), 4, {
    accuracy: 0,
    macroF1: 0,
    weightedF1: 0,
  });
  close(summary.accuracy, report.accuracy, "summary accuracy");
  close(summary.macroF1, report.macro.f1, "summary macro-F1");
  close(summary.weightedF1, report.weighted.f1, "summary weighted-F1");
});

test("macro average skips classes absent from both truth and predictions", () => {
  // Class 2 never occurs: macro-F1 averages classes 0 and 1 only, as scikit-learn's default labels do.
  const report = classificationReport(Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 1, 1, 1]), 3);
  close(report.perClass.f1[0]!, 2 / 3, "f1 0");
  close(report.perClass.f1[1]!, 0.8, "f1 1");
  close(report.macro.f1, (2 / 3 + 0.8) / 2, "macro f1");
});

test("predictions outside the classes count as errors against recall and accuracy only", () => {
  const yTrue = Int32Array.from([0, 0, 1, 1]);
  const report = classificationReport(yTrue, Int32Array.from([0, -1, 1, 1]), 2);
  assert.equal(report.accuracy, 0.75);
  assert.equal(report.perClass.recall[0], 0.5);
  assert.equal(report.perClass.precision[0], 1);
  assert.equal(report.perClass.support[0], 2);
  assert.equal(accuracy(yTrue, Int32Array.from([0, -1, 1, 0])), 0.5);
});

test("true labels outside the classes are rejected", () => {
  assert.throws(() => classificationReport(Int32Array.from([0, 2]), Int32Array.from([0, 1]), 2), RangeError);
});
