import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pino } from "pino";
import { loadServerConfig } from "../../server/config.js";
import { ApiMetrics } from "../../server/metrics.js";
import { ModelHolder } from "../../server/model/holder.js";
import { createModelSource } from "../../server/model/source.js";
import { servingPreprocessor } from "../../src/classify/lexicon.js";
import { createPredictor } from "../../src/classify/model-predict.js";
import { FileStore } from "../../src/store/file-store.js";
import { ConfigError } from "../../src/util/errors.js";
import { metricValue, postJson, startTestApi, type TestApi, testModel } from "../harness/api-server.js";
import { fixtureTickets } from "../harness/routing-model-fixture.js";

describe("classify API: preprocessing mode", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => {
    await api.close();
  });

  test("the default mode (lexicon) is reported by /api/model and /metrics and used by /api/predict", async () => {
    const model = (await (await fetch(`${api.url}/api/model`)).json()) as { preprocess: string };
    assert.equal(model.preprocess, "lexicon");
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    assert.equal(metricValue(metrics, "inflow_predict_preprocess_info", { mode: "lexicon" }), 1);
    const lexicon = createPredictor(testModel(), 5, servingPreprocessor(testModel(), "lexicon"));
    const tickets = fixtureTickets(8, 77);
    const response = await postJson(
      `${api.url}/api/predict`,
      tickets.map((t) => ({ id: t.id, text: t.text })),
    );
    const { predictions } = (await response.json()) as {
      predictions: { topic_id: number; confidence: number }[];
    };
    predictions.forEach((p, i) => {
      const expected = lexicon.predict(tickets[i]!.text);
      assert.equal(p.topic_id, expected.topicId);
      assert.equal(p.confidence, expected.confidence);
    });
  });

  test("a holder in exact mode serves the model's own preprocessing", async () => {
    const holder = new ModelHolder(
      createModelSource(api.modelPath, new FileStore(`file://${api.dir}/store`)),
      new ApiMetrics(false),
      pino({ level: "silent" }),
      5,
      "exact",
    );
    assert.equal(await holder.refresh(), "loaded");
    const served = holder.current!;
    assert.equal(served.preprocess, "exact");
    const exact = createPredictor(served.model);
    for (const ticket of fixtureTickets(8, 78)) {
      assert.deepEqual(served.predictor.predict(ticket.text), exact.predict(ticket.text));
    }
  });

  test("INFLOW_API_PREPROCESS takes exact or lexicon and names the problem otherwise", () => {
    assert.equal(loadServerConfig({}).preprocess, "lexicon");
    assert.equal(loadServerConfig({ INFLOW_API_PREPROCESS: "exact" }).preprocess, "exact");
    assert.throws(
      () => loadServerConfig({ INFLOW_API_PREPROCESS: "fast" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /INFLOW_API_PREPROCESS must be one of exact, lexicon/.test(error.message),
    );
  });
});
