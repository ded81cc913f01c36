import assert from "node:assert/strict";
import { test } from "node:test";
import { fitTopics } from "../../src/topics/fit-topics.js";
import { Rng } from "../../src/util/random.js";

/** 400 short documents from 4 planted topics of 10 words each, some words from anywhere. */
function plantedDocs(): string[][] {
  const rng = new Rng(7);
  const word = (topic: number, i: number) => `t${topic}w${i}`;
  return Array.from({ length: 400 }, () => {
    const topic = rng.int(4);
    return Array.from({ length: 12 }, () =>
      rng.next() < 0.85 ? word(topic, rng.int(10)) : word(rng.int(4), rng.int(10)),
    );
  });
}

test("fitTopics tells its stages in order and each k as the search scores it", () => {
  const events: string[] = [];
  const fitted = fitTopics(plantedDocs(), {
    tfidf: { minDf: 1 },
    k: { min: 2, max: 8 },
    nmf: { seed: 0 },
    progress: {
      stage: (stage, detail) => events.push(`${stage} ${JSON.stringify(detail)}`),
      scored: (score, n) => events.push(`scored ${score.k} ${n}`),
    },
  });
  const curve = fitted.selection!.curve;
  assert.equal(events[0], 'k search {"range":{"min":2,"max":8}}');
  const scored = events.filter((e) => e.startsWith("scored"));
  assert.equal(scored.length, curve.length, "one event per k scored");
  assert.deepEqual(
    scored.map((e) => Number(e.split(" ")[2])),
    curve.map((_, i) => i + 1),
    "counted as they come",
  );
  assert.deepEqual(events.slice(-2), [
    `fit {"k":${fitted.selection!.k}}`,
    `merge {"k":${fitted.selection!.k}}`,
  ]);
});

test("a given k skips the search and the merge: only the fit is told", () => {
  const events: string[] = [];
  fitTopics(plantedDocs(), {
    tfidf: { minDf: 1 },
    k: 4,
    nmf: { seed: 0 },
    progress: { stage: (stage) => events.push(stage), scored: () => events.push("scored") },
  });
  assert.deepEqual(events, ["fit"]);
});
