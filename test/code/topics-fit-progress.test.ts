import assert from "node:assert/strict";
import { test } from "node:test";
import { fitTopics, fitTopicsSteps, type TopicFitOptions } from "../../src/topics/fit-topics.js";
import { Rng } from "../../src/util/random.js";
import { runStepsInterruptibly } from "../../src/util/steps.js";

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

/*
 * Ctrl-C or SIGTERM during relabel's fit: Node runs a signal's handler only on the event loop, so the
 * fit pauses after each NMF iteration (src/util/steps.ts) and stops at the first pause after the
 * step's AbortSignal is aborted, instead of when the whole k search, fit and merge are over.
 */
const options: TopicFitOptions = { tfidf: { minDf: 1 }, k: { min: 2, max: 8 }, nmf: { seed: 0 } };

test("an abort during the k search stops the fit at its next iteration, with the abort's reason", async () => {
  const aborting = new AbortController();
  const reason = new Error("interrupted by SIGINT");
  let scored = 0;
  let fitStarted = false;
  const fit = runStepsInterruptibly(
    fitTopicsSteps(plantedDocs(), {
      ...options,
      progress: {
        stage: (stage) => {
          if (stage === "fit") fitStarted = true;
        },
        scored: () => {
          scored++;
          aborting.abort(reason);
        },
      },
    }),
    aborting.signal,
  );
  await assert.rejects(fit, (error) => error === reason);
  assert.equal(scored, 1, "no k scored after the abort");
  assert.equal(fitStarted, false, "the fit at the chosen k never started");
});

test("not aborted, the pausing fit is the plain one, and an aborted fit leaves the NMF threads usable", async () => {
  const aborted = new AbortController();
  aborted.abort(new Error("stop"));
  await assert.rejects(runStepsInterruptibly(fitTopicsSteps(plantedDocs(), options), aborted.signal));
  const plain = fitTopics(plantedDocs(), options);
  const pausing = await runStepsInterruptibly(
    fitTopicsSteps(plantedDocs(), options),
    new AbortController().signal,
    0,
  );
  assert.equal(pausing.k, plain.k);
  assert.deepEqual(pausing.nmf.h, plain.nmf.h);
  assert.deepEqual(pausing.nmf.w, plain.nmf.w);
  assert.deepEqual(pausing.selection?.curve, plain.selection?.curve);
});
