/**
 * Attacks on the request side of `inflow serve` (issue 14): tickets built to stall the tagger, ids
 * that cannot round-trip, duplicate ids, a `__proto__` key, and /metrics read without the token.
 * "Does not stall" is asserted by health answers arriving while a worst-case request is in flight,
 * never by timing.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pino } from "pino";
import { buildMetricsApp } from "../../server/app.js";
import { Rng } from "../../src/util/random.js";
import { postJson, startTestApi, type TestApi } from "../harness/api-server.js";
import { healthAnswersDuring, worstCaseBatch } from "../harness/worst-case-text.js";

const token = "a-test-token-of-some-length";
const auth = { authorization: `Bearer ${token}` };

async function errorOf(response: Response, status: number): Promise<string> {
  assert.equal(response.status, status);
  return ((await response.json()) as { message: string }).message;
}

describe("request attacks", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ apiToken: token });
  });
  after(() => api.close());
  const predict = (body: unknown) => postJson(`${api.url}/api/predict`, body, auth);

  test("probes are answered while worst-case texts are being classified", async () => {
    const batch = worstCaseBatch(new Rng(5));
    const { response, answered: answeredMeanwhile } = await healthAnswersDuring(api.url, predict(batch));
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: { id: number; truncated: boolean }[] };
    assert.deepEqual(
      predictions.map((p) => p.id),
      batch.map((t) => t.id),
    );
    // Before pausing between taggings, the whole batch held the event loop: no probe got in.
    assert.ok(answeredMeanwhile >= 3, `only ${answeredMeanwhile} health answers while classifying`);
  });

  test("integer ids beyond 2^53 − 1 are refused, naming them and saying to send strings", async () => {
    const message = await errorOf(
      await predict('[{"id": 12345678901234567891, "text": "card fee"}, {"id": 2, "text": "x"}]'),
      400,
    );
    assert.match(message, /body\/0: integer ids beyond 9007199254740991 .* send these ids as strings/);
    const big = "12345678901234567891";
    const ok = await predict([{ id: big, text: "card fee" }]);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { predictions: { id: string }[] }).predictions[0]!.id, big);
  });

  test("duplicate ids in a batch → 400 naming them", async () => {
    const message = await errorOf(
      await predict([
        { id: 7, text: "a" },
        { id: "x", text: "b" },
        { id: 7, text: "c" },
      ]),
      400,
    );
    assert.match(message, /duplicate ticket ids in the batch: 7 \(body\/0, body\/2\)/);
    // The number 7 and the string "7" are different ids.
    const distinct = await predict([
      { id: 7, text: "a" },
      { id: "7", text: "b" },
    ]);
    assert.equal(distinct.status, 200);
  });

  test("missing or object ids → 400, never a made-up id", async () => {
    assert.match(await errorOf(await predict([{ text: "card fee" }]), 400), /body\/0 .*'id'/);
    assert.match(await errorOf(await predict([{ id: { a: 1 }, text: "card fee" }]), 400), /body\/0/);
    assert.match(await errorOf(await predict([{ id: null, text: "card fee" }]), 400), /body\/0/);
  });

  test("a __proto__ key is refused with the real reason, not as invalid JSON", async () => {
    const message = await errorOf(await predict('[{"id": 1, "text": "a", "__proto__": {"x": 1}}]'), 400);
    assert.match(message, /"__proto__" key, refused \(prototype pollution\)/);
    assert.doesNotMatch(message, /not valid JSON/);
    const ctor = await errorOf(
      await predict('[{"id": 1, "text": "a", "constructor": {"prototype": {}}}]'),
      400,
    );
    assert.match(ctor, /"constructor.prototype" key/);
  });

  test("/metrics needs the token when auth is on (it names the model and every topic)", async () => {
    assert.equal((await fetch(`${api.url}/metrics`)).status, 401);
    const scraped = await fetch(`${api.url}/metrics`, { headers: auth });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /inflow_model_info/);
  });
});

test("with INFLOW_METRICS_PORT, /metrics leaves the API port", async () => {
  const api = await startTestApi({ metricsPort: 0 });
  const internal = await buildMetricsApp(api.metrics, pino({ level: "silent" }));
  try {
    assert.equal((await fetch(`${api.url}/metrics`)).status, 404);
    const scraped = await fetch(`${await internal.listen({ host: "127.0.0.1", port: 0 })}/metrics`);
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /inflow_model_info/);
  } finally {
    await internal.close();
    await api.close();
  }
});
