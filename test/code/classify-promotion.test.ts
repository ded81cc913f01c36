import assert from "node:assert/strict";
import { test } from "node:test";
import { decideFirstPromotion, decidePromotion } from "../../src/classify/promotion.js";
import { Rng } from "../../src/util/random.js";

function predictions(yTrue: Int32Array, rate: number, rng: Rng): Int32Array {
  return Int32Array.from(yTrue, (t) => (rng.next() < rate ? t : (t + 1 + rng.int(2)) % 3));
}

function scenario(championRate: number, challengerRate: number, seed: number, rows = 2000) {
  const rng = new Rng(seed);
  const yTrue = Int32Array.from({ length: rows }, () => rng.int(3));
  return {
    yTrue,
    championPred: predictions(yTrue, championRate, rng),
    challengerPred: predictions(yTrue, challengerRate, rng),
    nClasses: 3,
    seed: 1,
  };
}

test("a clearly worse challenger is not promoted", () => {
  const decision = decidePromotion(scenario(0.9, 0.8, 1));
  assert.equal(decision.promote, false);
  assert.ok(decision.pairedBootstrap.interval[1] < 0);
  assert.ok(decision.mcnemar.b > decision.mcnemar.c && decision.mcnemar.pValue < 0.05);
  assert.match(decision.reason, /significantly worse/);
  assert.ok(decision.challengerMacroF1 < decision.championMacroF1);
});

test("a significantly better challenger is promoted", () => {
  const decision = decidePromotion(scenario(0.8, 0.9, 3));
  assert.ok(decision.pairedBootstrap.interval[0] > 0);
  assert.equal(decision.promote, true, decision.reason);
  assert.match(decision.reason, /significantly better/);
});

test("a challenger far worse on a test set too small to tell is not promoted (the demo's case)", () => {
  // The demo printed: difference -0.1457 (95% CI -0.1811 to +0.0071), McNemar not significant.
  // Not significantly worse, yet a loss far beyond the margin is not ruled out: the champion stays.
  // 40 tickets, under the smallest test set that may replace the champion: the margin rule alone is tested.
  const decision = decidePromotion({ ...scenario(0.9, 0.78, 13, 40), minTickets: 0 });
  const [low, high] = decision.pairedBootstrap.interval;
  assert.ok(decision.pairedBootstrap.diff < -0.1 && low < -0.1 && high >= 0, `${low} ${high}`);
  assert.ok(decision.mcnemar.pValue >= 0.05, "McNemar alone would not reject it");
  assert.equal(decision.promote, false, decision.reason);
  assert.match(decision.reason, /not shown non-inferior.*margin 0\.0200/);
});

test("a challenger whose possible loss stays within the margin is promoted; a tighter margin keeps the champion", () => {
  // A retrained model mostly agrees with the champion and is as good: it fixes 10% of the champion's
  // errors and breaks as many of its right answers (about 3% of the tickets change).
  const base = scenario(0.85, 0.85, 2);
  const rng = new Rng(9);
  const challengerPred = Int32Array.from(base.championPred, (p, i) => {
    const t = base.yTrue[i]!;
    if (p !== t) return rng.next() < 0.1 ? t : p;
    return rng.next() < (0.15 * 0.1) / 0.85 ? (p + 1) % 3 : p;
  });
  const input = { ...base, challengerPred };
  const decision = decidePromotion(input);
  const [low, high] = decision.pairedBootstrap.interval;
  assert.ok(low > -0.02 && low < 0 && high > 0, `${low} ${high}`);
  assert.equal(decision.promote, true, decision.reason);
  assert.match(decision.reason, /non-inferior within the margin 0\.0200/);
  const strict = decidePromotion({ ...input, margin: -low / 2 });
  assert.equal(strict.promote, false, strict.reason);
  assert.equal(strict.margin, -low / 2);
});

test("the margin must be a fraction of macro-F1", () => {
  assert.throws(() => decidePromotion({ ...scenario(0.85, 0.85, 2, 30), margin: -0.01 }), RangeError);
  assert.throws(() => decidePromotion({ ...scenario(0.85, 0.85, 2, 30), margin: 1 }), RangeError);
});

test("with no champion the first model is promoted", () => {
  const { yTrue, challengerPred } = scenario(0.9, 0.7, 4);
  const decision = decideFirstPromotion(yTrue, challengerPred, 3);
  assert.equal(decision.promote, true);
  assert.ok(decision.challengerMacroF1 > 0.6 && decision.challengerMacroF1 < 0.8);
});

test("the decision is reproducible from its seed", () => {
  assert.deepEqual(decidePromotion(scenario(0.86, 0.84, 5)), decidePromotion(scenario(0.86, 0.84, 5)));
});

test("on too few test tickets only significantly fewer errors (exact McNemar) replace the champion", () => {
  // A 61-ticket date's 13 held-out tickets, labelled by the challenger's own topics: it fixes 4 of
  // the champion's errors and breaks none. The interval alone called that significantly better.
  const yTrue = Int32Array.from({ length: 13 }, (_, i) => i % 3);
  const wrongOn = (n: number) => Int32Array.from(yTrue, (t, i) => (i < n ? (t + 1) % 3 : t));
  const small = { yTrue, challengerPred: yTrue, nClasses: 3, seed: 1 };
  const kept = decidePromotion({ ...small, championPred: wrongOn(4) });
  assert.equal(kept.promote, false);
  assert.match(kept.reason, /^too few test tickets .*13 test tickets, under the 50/);
  assert.equal(kept.mcnemar.pValue, 0.125);
  assert.equal(kept.minTickets, 50);
  const unguarded = decidePromotion({ ...small, championPred: wrongOn(4), minTickets: 0 });
  assert.equal(unguarded.promote, true, "the interval alone would have promoted it");
  assert.match(unguarded.reason, /significantly better/);
  // Fixing 8 of 13 is beyond chance even on so few (p = 2 · 0.5^8): people's new classes, say.
  const fixesMany = decidePromotion({ ...small, championPred: wrongOn(8) });
  assert.equal(fixesMany.promote, true, fixesMany.reason);
  assert.match(fixesMany.reason, /^challenger makes significantly fewer errors on 13 test tickets/);
  assert.throws(() => decidePromotion({ ...small, championPred: yTrue, minTickets: 1.5 }), RangeError);
});
