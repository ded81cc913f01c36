import assert from "node:assert/strict";
import { test } from "node:test";
import { decideFirstPromotion, decidePromotion } from "../../src/classify/promotion.js";
import { Rng } from "../../src/util/random.js";

function predictions(yTrue: Int32Array, rate: number, rng: Rng): Int32Array {
  return Int32Array.from(yTrue, (t) => (rng.next() < rate ? t : (t + 1 + rng.int(2)) % 3));
}

function scenario(championRate: number, challengerRate: number, seed: number) {
  const rng = new Rng(seed);
  const yTrue = Int32Array.from({ length: 2000 }, () => rng.int(3));
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

test("an equally good or better challenger is promoted", () => {
  for (const [champion, challenger, seed] of [
    [0.85, 0.85, 2],
    [0.8, 0.9, 3],
  ] as const) {
    const decision = decidePromotion(scenario(champion, challenger, seed));
    assert.equal(decision.promote, true, decision.reason);
    assert.match(decision.reason, /not significantly worse/);
  }
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
