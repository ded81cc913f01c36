import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrapIntervals } from "../../src/classify/bootstrap.js";
import { classificationReport } from "../../src/classify/metrics.js";
import { Rng } from "../../src/util/random.js";

/** 2000 rows, 3 classes, each prediction right with probability 0.8. */
function noisyPredictions(seed: number): { yTrue: Int32Array; yPred: Int32Array } {
  const rng = new Rng(seed);
  const yTrue = Int32Array.from({ length: 2000 }, () => rng.int(3));
  const yPred = Int32Array.from(yTrue, (t) => (rng.next() < 0.8 ? t : (t + 1 + rng.int(2)) % 3));
  return { yTrue, yPred };
}

test("95% intervals contain the point estimates and have the binomial width for accuracy", () => {
  const { yTrue, yPred } = noisyPredictions(3);
  const report = classificationReport(yTrue, yPred, 3);
  const intervals = bootstrapIntervals(yTrue, yPred, 3, { resamples: 2000, seed: 1 });
  for (const [interval, estimate] of [
    [intervals.accuracy, report.accuracy],
    [intervals.macroF1, report.macro.f1],
    [intervals.weightedF1, report.weighted.f1],
  ] as const) {
    assert.ok(interval[0] < estimate && estimate < interval[1], `${estimate} outside [${interval}]`);
  }
  // The bootstrap width of a proportion approaches the normal one, 2·1.96·sqrt(p(1−p)/n).
  const p = report.accuracy;
  const normalWidth = 2 * 1.96 * Math.sqrt((p * (1 - p)) / yTrue.length);
  const width = intervals.accuracy[1] - intervals.accuracy[0];
  assert.ok(Math.abs(width - normalWidth) / normalWidth < 0.1, `width ${width} vs normal ${normalWidth}`);
});

test("the same seed gives the same intervals, another seed different ones", () => {
  const { yTrue, yPred } = noisyPredictions(4);
  const a = bootstrapIntervals(yTrue, yPred, 3, { resamples: 1000, seed: 9 });
  const b = bootstrapIntervals(yTrue, yPred, 3, { resamples: 1000, seed: 9 });
  const c = bootstrapIntervals(yTrue, yPred, 3, { resamples: 1000, seed: 10 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.macroF1, c.macroF1);
});

test("perfect predictions give degenerate intervals at 1", () => {
  const y = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1]);
  const intervals = bootstrapIntervals(y, y, 3, { resamples: 1000, seed: 2 });
  assert.deepEqual(intervals.accuracy, [1, 1]);
  assert.deepEqual(intervals.macroF1, [1, 1]);
});
