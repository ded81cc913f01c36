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

test("long texts go to the pool, the first short one stays in the main thread, answers keep their order", async () => {
  const sent: string[] = [];
  const served = servedWith(async (batch) => {
    sent.push(...batch);
    return batch.map((text) => built.predictor.predict(text));
  });
  const answers = await classifyTexts(served, texts);
  assert.deepEqual(
    answers,
    texts.map((text) => built.predictor.predict(text)),
  );
  assert.ok(sent.includes(texts[1]!) && sent.includes(texts[3]!), "texts of 2,000+ characters are offloaded");
  assert.ok(!sent.includes(texts[0]!), "a request's first short text runs inline");
});

test("a failed job (worker lost, model gone) is classified in the main thread", async () => {
  const served = servedWith(() => Promise.reject(new Error("prediction worker exited with code 1")));
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
