/** Which texts a request classifies in the main thread and which it sends to the worker pool. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverDefaults } from "../../server/config.js";
import { classifyTexts } from "../../server/model/classify.js";
import { buildServingPredictor } from "../../server/model/predictor.js";
import type { ServedModel } from "../../server/model/served.js";
import { defaultTextLimits } from "../../src/text/limits.js";
import { testModel } from "../harness/api-server.js";

const options = { preprocess: serverDefaults.preprocess, limits: defaultTextLimits, explainTerms: 5 };
const built = buildServingPredictor(testModel(), options);

/** The served model with an offload that runs in this thread and records what it was sent. */
function servedWith(offload: ServedModel["offload"]): ServedModel {
  return {
    ...built,
    model: testModel(),
    offload,
    preprocess: options.preprocess,
    fingerprint: "sha256:test",
    uri: "test",
    loadedAt: new Date(),
  };
}

const texts = [
  "My credit card was charged an annual fee twice.",
  "card fee ".repeat(400),
  "The bank closed my checking account.",
  `loan ${"x".repeat(5_000)}`,
];

/**
 * An offload of one worker that runs in this thread and records what it was sent; its backlog is
 * everything sent (it never drains) plus `busyChars`.
 */
function recordingOffload(sent: string[], busyChars = 0): NonNullable<ServedModel["offload"]> {
  let backlog = busyChars;
  return {
    workers: 1,
    predict: async (batch) => {
      sent.push(...batch);
      for (const text of batch) backlog += text.length;
      return batch.map((text) => built.predictor.predict(text));
    },
    backlogChars: () => backlog,
  };
}

test("long texts go to the pool, the first short one stays in the main thread, answers keep their order", async () => {
  const sent: string[] = [];
  const answers = await classifyTexts(servedWith(recordingOffload(sent)), texts);
  assert.deepEqual(
    answers,
    texts.map((text) => built.predictor.predict(text)),
  );
  assert.ok(sent.includes(texts[1]!) && sent.includes(texts[3]!), "texts of 2,000+ characters are offloaded");
  assert.ok(!sent.includes(texts[0]!), "a request's first short text runs inline");
});

test("sharing (the stream): the pool takes short texts up to its share, the main thread the rest", async () => {
  const short = Array.from({ length: 400 }, (_, i) => `${texts[i % 2 === 0 ? 0 : 2]!} ticket ${i}`);
  const shared: string[] = [];
  const answers = await classifyTexts(servedWith(recordingOffload(shared)), short, { mainThread: "share" });
  assert.deepEqual(
    answers,
    short.map((text) => built.predictor.predict(text)),
  );
  // One worker: its share is half of the request's text.
  const chars = (list: string[]) => list.reduce((sum, text) => sum + text.length, 0);
  const share = chars(shared) / chars(short);
  assert.ok(share > 0.45 && share < 0.55, `the pool took ${share} of the text`);
  const busy: string[] = [];
  await classifyTexts(servedWith(recordingOffload(busy, 1_000_000)), short, { mainThread: "share" });
  assert.deepEqual(busy, [], "a pool already holding more than its share takes none");
});

test("a failed job (worker lost, model gone) is classified in the main thread", async () => {
  const served = servedWith({
    workers: 1,
    predict: () => Promise.reject(new Error("prediction worker exited with code 1")),
    backlogChars: () => 0,
  });
  assert.deepEqual(
    await classifyTexts(served, texts),
    texts.map((text) => built.predictor.predict(text)),
  );
});

test("without a pool everything runs in the main thread", async () => {
  assert.deepEqual(
    await classifyTexts(servedWith(null), texts),
    texts.map((text) => built.predictor.predict(text)),
  );
});
