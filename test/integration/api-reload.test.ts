import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { buildModelLexicon } from "../../src/classify/model-lexicon.js";
import { metricValue, postJson, startTestApi, type TestApi, testModel } from "../harness/api-server.js";
import { fixtureTickets, replaceFile, writeRoutingModel } from "../harness/routing-model-fixture.js";

/**
 * Hot reload under load: while 8 clients post batches without pause, the model file is replaced by a
 * valid new version, then by a corrupted one. No request may fail, every batch is answered by one
 * version, clients see v1 then v2 and never go back, and the corrupted file is refused and counted.
 */
describe("classify API: hot reload under load", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  test("valid swap then corrupted file: zero failed requests, old model keeps serving", async () => {
    const batch = fixtureTickets(4, 77).map((t) => ({ id: t.id, text: t.text }));
    let running = true;
    const failures: string[] = [];
    const seen: string[][] = [];
    const client = async (k: number) => {
      seen[k] = [];
      while (running) {
        const response = await postJson(`${api.url}/api/predict`, batch);
        if (response.status !== 200) {
          failures.push(`${response.status} ${await response.text()}`);
          continue;
        }
        const { predictions } = (await response.json()) as { predictions: { model_version: string }[] };
        const versions = new Set(predictions.map((p) => p.model_version));
        if (versions.size !== 1) failures.push(`mixed versions in one batch: ${[...versions]}`);
        seen[k]!.push(predictions[0]!.model_version);
      }
    };
    const clients = Array.from({ length: 8 }, (_, k) => client(k));
    const metrics = async () => (await fetch(`${api.url}/metrics`)).text();
    const served = () => api.holder.current?.model.version;

    await waitForRequests(seen, 20);
    await writeRoutingModel(api.modelPath, testModel(), "v2");
    assert.equal(await api.holder.refresh(), "loaded");
    assert.equal(served(), "v2");
    await waitForRequests(seen, 60);

    const valid = await readFile(api.modelPath, "utf8");
    const at = valid.indexOf('"vocabulary"') + 20;
    await replaceFile(api.modelPath, `${valid.slice(0, at)}Z${valid.slice(at + 1)}`);
    assert.equal(await api.holder.refresh(), "failed");
    // The same broken file is not retried (one bad deploy counts once).
    assert.equal(await api.holder.refresh(), "unchanged");
    await waitForRequests(seen, 100);

    running = false;
    await Promise.all(clients);
    assert.deepEqual(failures, []);
    assert.equal(served(), "v2");
    for (const versions of seen) {
      const firstV2 = versions.indexOf("v2");
      assert.ok(firstV2 > 0, "each client saw both versions");
      assert.ok(
        versions.slice(firstV2).every((v) => v === "v2"),
        "no client went back to v1",
      );
    }
    const text = await metrics();
    assert.equal(metricValue(text, "inflow_model_load_failures_total", { reason: "invalid" }), 1);
    assert.equal(metricValue(text, "inflow_model_reloads_total"), 2);
    const info = { topic_model_version: "fixture-topics-42", trained_date: "2024-07-01" };
    assert.equal(metricValue(text, "inflow_model_info", { version: "v2", ...info }), 1);
    assert.doesNotMatch(text, /inflow_model_info\{version="v1"/, "the old version's info series is removed");
  });

  test("a truncated file and a deleted file are refused the same way", async () => {
    const valid = await readFile(api.modelPath, "utf8");
    await writeRoutingModel(api.modelPath, testModel(), "v3");
    const v3 = await readFile(api.modelPath, "utf8");
    await replaceFile(api.modelPath, v3.slice(0, v3.length / 2));
    assert.equal(await api.holder.refresh(), "failed");
    await replaceFile(api.modelPath, valid.replace('"checksum":"sha256:', '"checksum":"sha256:0'));
    assert.equal(await api.holder.refresh(), "failed");
    const { rm } = await import("node:fs/promises");
    await rm(api.modelPath);
    assert.equal(await api.holder.refresh(), "failed");
    assert.equal(api.holder.current?.model.version, "v2");
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.equal(metricValue(text, "inflow_model_load_failures_total", { reason: "invalid" }), 3);
    assert.equal(metricValue(text, "inflow_model_load_failures_total", { reason: "unavailable" }), 1);
    const response = await postJson(`${api.url}/api/predict`, [{ id: 1, text: "credit card fee" }]);
    assert.equal(response.status, 200);
  });

  test("a model whose shipped lexicon was altered is refused, even sealed anew; an intact one loads", async () => {
    const model = testModel();
    const lexicon = buildModelLexicon(
      { preprocessing: model.preprocessing, vocabulary: model.tfidf.vocabulary },
      new Map([
        ["fees", 2],
        ["the", 2],
      ]),
    );
    assert.deepEqual(lexicon.readings, [["fee"], []]);
    const forged = { ...lexicon, readings: [["forged"], []] };
    await writeRoutingModel(api.modelPath, { ...model, lexicon: forged }, "v4");
    assert.equal(await api.holder.refresh(), "failed");
    assert.equal(api.holder.current?.model.version, "v2");
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.equal(metricValue(text, "inflow_model_load_failures_total", { reason: "warmup" }), 1);
    await writeRoutingModel(api.modelPath, { ...model, lexicon }, "v5");
    assert.equal(await api.holder.refresh(), "loaded");
    const response = await postJson(`${api.url}/api/predict`, [{ id: 1, text: "the fees on my card" }]);
    assert.equal(response.status, 200);
  });
});

async function waitForRequests(seen: string[][], perClient: number): Promise<void> {
  const target = seen.map((s) => s.length + perClient);
  while (seen.some((s, k) => s.length < target[k]!)) await new Promise((resolve) => setTimeout(resolve, 5));
}
