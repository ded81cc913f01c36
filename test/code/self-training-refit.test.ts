import assert from "node:assert/strict";
import { test } from "node:test";
import { predictProba } from "../../src/classify/logistic.js";
import type { HumanLabel } from "../../src/review/human-labels.js";
import { trainRouter } from "../../src/review/train-router.js";
import type { LabelledTicket } from "../../src/tickets/dataset.js";
import { transformTfidf } from "../../src/topics/tfidf.js";
import { fixtureTaxonomy } from "../harness/routing-model-fixture.js";

// Three classes of word chains nothing but unlabelled tickets link. Linked chains: people labelled
// both ends ([a b] and [c d]), three unlabelled tickets [b c] bridge them, so a held-out end is reached
// only through the router's guesses on the bridges: cross-validation chooses self-training. Lone chains:
// one label [p q], three unlabelled tickets [q g]; g is in no label, so the router knows it only from
// its guesses. When evaluate holds a lone chain's label out, only a refit that self-trains again with
// every people's label guesses its bridges.
const classes = 3;
const tickets: LabelledTicket[] = [];
const human = new Map<string, HumanLabel>();
const loneLabels = new Map<string, { c: number; word: string }>();
function add(tokens: string[], c: number | null): string {
  const id = `t${tickets.length}`;
  tickets.push({ id, tokens, topic: 0, confidence: 0.5 });
  if (c !== null) {
    const answer = { kind: "topic" as const, topic: 100 + c };
    human.set(id, { ticketId: id, answer, reviewer: "r", at: "", source: "console" });
  }
  return id;
}
for (let c = 0; c < classes; c++) {
  for (let i = 0; i < 10; i++) {
    const w = (s: string) => `${s}${c}x${i}`;
    add([w("a"), w("b")], c);
    for (let n = 0; n < 3; n++) add([w("b"), w("c")], null);
    add([w("c"), w("d")], c);
  }
  for (let i = 0; i < 10; i++) {
    const w = (s: string) => `${s}${c}y${i}`;
    loneLabels.set(add([w("p"), w("q")], c), { c, word: w("g") });
    for (let n = 0; n < 3; n++) add([w("q"), w("g")], null);
  }
}

test("the served router self-trains again on every people's label, the ones evaluate held out included", () => {
  const trained = trainRouter(tickets, human, fixtureTaxonomy(), {
    tfidf: { minDf: 1, maxDf: 1, ngramMax: 1 },
    logistic: { C: 1, maxIter: 200, classWeight: "balanced" },
    humanC: 10,
    humanWeight: 1,
    testShare: 0.2,
    seed: 42,
    propagation: null,
    selfTrainingThresholds: [0.5],
  });
  assert.equal(trained.selfTrainingChoice?.threshold, 0.5, JSON.stringify(trained.selfTrainingChoice));
  const heldLone = Array.from(trained.split.test, (i) => tickets[i]!.id).filter((id) => loneLabels.has(id));
  assert.ok(heldLone.length >= 2, `lone chains' labels held out: ${heldLone.length}`);
  for (const id of heldLone) {
    const { c, word } = loneLabels.get(id)!;
    const k = trained.classTopics.indexOf(100 + c);
    const x = transformTfidf(trained.tfidf, [[word]]);
    const served = predictProba(trained.servedFit, x);
    const scored = predictProba(trained.fit, x);
    const shown = `${word}: served ${Array.from(served, (p) => p.toFixed(2))}, scored ${Array.from(scored, (p) => p.toFixed(2))}`;
    // The scored router never saw the chain's label, so its guesses skipped the bridges: g is unknown to it.
    assert.ok(scored[k]! < 0.5, shown);
    assert.ok(served[k]! >= 0.5, shown);
  }
});
