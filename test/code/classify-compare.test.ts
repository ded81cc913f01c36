import assert from "node:assert/strict";
import { test } from "node:test";
import { mcnemar, mcnemarFromCounts, pairedBootstrapMacroF1 } from "../../src/classify/compare.js";
import { binomialTwoSidedHalf, chiSquare1Survival } from "../../src/classify/distributions.js";
import { Rng } from "../../src/util/random.js";

function relativelyClose(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

test("exact McNemar for b=1, c=9 is 2·11/1024", () => {
  const result = mcnemarFromCounts(1, 9);
  assert.equal(result.method, "exact");
  relativelyClose(result.pValue, 22 / 1024, 1e-14, "exact p-value");
});

test("chi-square McNemar on the textbook table b=121, c=59", () => {
  // Continuity-corrected statistic (|121 − 59| − 1)² / 180; p from scipy.stats.chi2.sf(20.672…, 1).
  const result = mcnemarFromCounts(121, 59);
  assert.equal(result.method, "chi-square");
  relativelyClose(result.statistic, 61 ** 2 / 180, 1e-15, "statistic");
  relativelyClose(result.pValue, 5.450094825427117e-6, 1e-9, "p-value");
});

test("tail probabilities match scipy", () => {
  relativelyClose(chiSquare1Survival(0.5), 0.47950012218695337, 1e-12, "chi2.sf(0.5)");
  relativelyClose(chiSquare1Survival(3.841458820694124), 0.05, 1e-12, "chi2.sf(3.84)");
  relativelyClose(chiSquare1Survival(100), 1.5239706048320995e-23, 1e-10, "chi2.sf(100)");
  relativelyClose(binomialTwoSidedHalf(30, 100), 7.85013964559367e-5, 1e-12, "binomtest(30, 100)");
  relativelyClose(binomialTwoSidedHalf(3, 40), 1.946500560734421e-8, 1e-12, "binomtest(3, 40)");
  assert.equal(binomialTwoSidedHalf(5, 10), 1);
});

test("McNemar counts the rows where exactly one classifier is right", () => {
  const yTrue = Int32Array.from([0, 1, 2, 0, 1, 2]);
  const a = Int32Array.from([0, 1, 2, 1, 1, 0]);
  const b = Int32Array.from([0, 0, 2, 0, 2, 1]);
  const result = mcnemar(yTrue, a, b);
  assert.equal(result.b, 2);
  assert.equal(result.c, 1);
  assert.equal(result.pValue, 1);
});

/** A champion right 85% of the time and a challenger right `challengerRate` of the time, on 3000 rows. */
function pair(challengerRate: number, seed: number) {
  const rng = new Rng(seed);
  const yTrue = Int32Array.from({ length: 3000 }, () => rng.int(4));
  const wrong = (t: number) => (t + 1 + rng.int(3)) % 4;
  const champion = Int32Array.from(yTrue, (t) => (rng.next() < 0.85 ? t : wrong(t)));
  const challenger = Int32Array.from(yTrue, (t) => (rng.next() < challengerRate ? t : wrong(t)));
  return { yTrue, champion, challenger };
}

test("paired bootstrap finds a clearly worse challenger and not an equal one", () => {
  const worse = pair(0.75, 1);
  const a = pairedBootstrapMacroF1(worse.yTrue, worse.champion, worse.challenger, 4, {
    resamples: 1000,
    seed: 3,
  });
  assert.ok(a.diff < -0.05 && a.interval[1] < 0, `interval ${a.interval}`);
  assert.ok(a.pValue < 0.01);
  assert.ok(Math.abs(a.meanDiff - a.diff) < 0.01);

  const same = pair(0.85, 2);
  const b = pairedBootstrapMacroF1(same.yTrue, same.champion, same.challenger, 4, {
    resamples: 1000,
    seed: 3,
  });
  assert.ok(b.interval[0] < 0 && b.interval[1] > 0, `interval ${b.interval}`);
  assert.ok(b.pValue > 0.05);
});

test("pairing narrows the interval compared with independent resamples", () => {
  // The challenger equals the champion except on 30 rows: paired differences vary far less than
  // either model's own macro-F1.
  const { yTrue, champion } = pair(0.85, 5);
  const challenger = Int32Array.from(champion);
  for (let i = 0; i < 30; i++) challenger[i] = yTrue[i]!;
  const result = pairedBootstrapMacroF1(yTrue, champion, challenger, 4, { resamples: 1000, seed: 4 });
  assert.ok(result.interval[1] - result.interval[0] < 0.01, `interval ${result.interval}`);
  assert.ok(result.interval[0] > 0);
});
