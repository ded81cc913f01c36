/**
 * Saturating the API with worst-case texts (issue 14, attack 4): long and never-seen texts are
 * classified on worker threads. Where a text runs must never change its answer, a model swap must
 * reach every worker before it serves, and a request must not mix versions.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pino } from "pino";
import { serverDefaults } from "../../server/config.js";
import { classifyTexts } from "../../server/model/classify.js";
import { startPredictionPool } from "../../server/model/prediction-pool.js";
import { buildServingPredictor } from "../../server/model/predictor.js";
import type { ServedModel } from "../../server/model/served.js";
import { defaultTextLimits } from "../../src/text/limits.js";
import { Rng } from "../../src/util/random.js";
import { postJson, startTestApi, type TestApi, testModel } from "../harness/api-server.js";
import { writeRoutingModel } from "../harness/routing-model-fixture.js";
import { healthAnswersDuring, uniqueWords, worstCaseBatch } from "../harness/worst-case-text.js";

/** Long never-seen texts, a huge word, ordinary short tickets, one long ordinary one and one without words (an empty text is a 400). */
function mixedBatch(): { id: number; text: string }[] {
  const rng = new Rng(41);
  const texts = [
    uniqueWords(rng, 12_000),
    "My credit card was charged an annual fee twice.",
    `card ${"q".repeat(20_000)} fee`,
    "The mortgage servicer added escrow charges and started foreclosure.",
    "A debt collector keeps calling about a debt that is not mine. ".repeat(60),
    uniqueWords(rng, 2_500),
    "?!",
  ];
  for (let i = 0; i < 40; i++) texts.push(`${uniqueWords(rng, 300)} bank account fee`);
  return texts.map((text, id) => ({ id, text }));
}

type Answer = { predictions: { id: number; model_version: string }[] };

describe("classification on worker threads", () => {
  let pooled: TestApi;
  let inline: TestApi;
  before(async () => {
    [pooled, inline] = await Promise.all([startTestApi({ workers: 2 }), startTestApi({ workers: 0 })]);
  });
  after(async () => {
    await Promise.all([pooled?.close(), inline?.close()]);
  });

  test("workers answer exactly what the main thread answers", async () => {
    const batch = mixedBatch();
    const [fromPool, fromMain] = await Promise.all(
      [pooled, inline].map(async (api) => {
        const response = await postJson(`${api.url}/api/predict`, batch);
        assert.equal(response.status, 200);
        return (await response.json()) as Answer;
      }),
    );
    assert.equal(fromPool!.predictions.length, batch.length);
    assert.deepEqual(fromPool, fromMain);
  });

  test("probes are answered while worst-case texts are classified on the workers", async () => {
    const batch = worstCaseBatch(new Rng(6));
    const { response, answered } = await healthAnswersDuring(
      pooled.url,
      postJson(`${pooled.url}/api/predict`, batch),
    );
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as Answer).predictions.length, batch.length);
    assert.ok(answered >= 3, `only ${answered} health answers while classifying`);
  });

  test("a model swap reaches the workers before it serves", async () => {
    await writeRoutingModel(pooled.modelPath, testModel(), "v2");
    assert.equal(await pooled.holder.refresh(), "loaded");
    const response = await postJson(`${pooled.url}/api/predict`, mixedBatch());
    assert.equal(response.status, 200);
    const versions = new Set(((await response.json()) as Answer).predictions.map((p) => p.model_version));
    assert.deepEqual([...versions], ["v2"]);
  });

  test("jobs posted in one turn share a message and are answered each on its own", async () => {
    const pool = startPredictionPool(1, pino({ level: "silent" }));
    try {
      const options = { preprocess: serverDefaults.preprocess, limits: defaultTextLimits, explainTerms: 5 };
      await pool.load("a", { ...testModel(), version: "a" }, options);
      // Short texts, under the size at which an outbox is posted early.
      const texts = mixedBatch()
        .map((t) => t.text)
        .filter((text) => text.length < 1_000);
      const { predictor } = buildServingPredictor({ ...testModel(), version: "a" }, options);
      // All in one synchronous turn: one message each way; the job naming a model never loaded fails alone.
      const jobs = texts.map((text) => pool.predict("a", [text]));
      const unknown = pool.predict("never-loaded", ["card fee"]);
      await assert.rejects(unknown, /model never-loaded is not loaded/);
      assert.deepEqual(
        (await Promise.all(jobs)).map(([p]) => p),
        texts.map((text) => predictor.predict(text)),
      );
      assert.equal(pool.backlogChars(), 0, "every answered job leaves the backlog");
    } finally {
      await pool.close();
    }
  });

  test("a worker keeps the served model and its predecessor; older jobs fall back to the main thread", async () => {
    const pool = startPredictionPool(1, pino({ level: "silent" }));
    try {
      const options = { preprocess: serverDefaults.preprocess, limits: defaultTextLimits, explainTerms: 5 };
      for (const version of ["a", "b", "c"]) await pool.load(version, { ...testModel(), version }, options);
      const [p] = await pool.predict("b", ["card fee"]);
      assert.equal(p!.modelVersion, "b");
      await assert.rejects(pool.predict("a", ["card fee"]), /model a is not loaded/);
      // A request still holding model "a" (two swaps ago) gets its answers from the main thread.
      const model = { ...testModel(), version: "a" };
      const served: ServedModel = {
        ...buildServingPredictor(model, options),
        model,
        offload: {
          workers: 1,
          predict: (texts) => pool.predict("a", texts),
          backlogChars: () => pool.backlogChars(),
        },
        preprocess: options.preprocess,
        fingerprint: "a",
        uri: "test",
        loadedAt: new Date(),
      };
      const answers = await classifyTexts(
        served,
        mixedBatch().map((t) => t.text),
      );
      assert.deepEqual(new Set(answers.map((a) => a.modelVersion)), new Set(["a"]));
    } finally {
      await pool.close();
    }
  });
});
