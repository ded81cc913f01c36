import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { metricValue, postJson, startTestApi, type TestApi } from "../harness/api-server.js";
import { fixtureTickets } from "../harness/routing-model-fixture.js";

interface PredictionBody {
  id: string | number;
  topic_id: number;
  topic: string;
  department: string;
  confidence: number;
  out_of_scope: number;
  needs_review: boolean;
  truncated: boolean;
  explanation: { term: string; weight: number }[];
  model_version: string;
}

describe("classify API: predictions", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ maxBatch: 8, maxTextChars: 2000 });
  });
  after(() => api.close());

  test("routes {id, text} tickets to the right topic and department", async () => {
    const tickets = fixtureTickets(8, 555);
    const response = await postJson(
      `${api.url}/api/predict`,
      tickets.map((t) => ({ id: t.id, text: t.text })),
    );
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: PredictionBody[] };
    assert.deepEqual(
      predictions.map((p) => p.id),
      tickets.map((t) => t.id),
    );
    const correct = predictions.filter((p, i) => p.topic_id === tickets[i]!.topicId).length;
    assert.ok(correct >= 7, `expected at least 7 of 8 held-out tickets right, got ${correct}`);
    const departments = new Map([
      [0, "Accounts"],
      [1, "Cards"],
      [2, "Fraud and disputes"],
      [3, "Lending"],
      [4, "General"],
    ]);
    for (const p of predictions) {
      assert.equal(p.department, departments.get(p.topic_id));
      assert.equal(p.model_version, "v1");
      assert.ok(p.confidence > 0 && p.confidence <= 1);
      assert.ok(p.out_of_scope >= 1 - p.confidence - 1e-12 && p.out_of_scope <= 1);
      assert.equal(p.needs_review, 1 - p.out_of_scope < 0.5);
      assert.equal(p.truncated, false);
      assert.ok(p.explanation.length > 0 && p.explanation.length <= 5);
      assert.ok(
        p.explanation.every((e, k) => e.weight > 0 && (k === 0 || e.weight <= p.explanation[k - 1]!.weight)),
      );
    }
  });

  test("a ticket of words the model never saw is out of scope (1) and needs review", async () => {
    const response = await postJson(`${api.url}/api/predict`, [
      { id: "x", text: "Quantum entanglement of the spaceship's warp coils during a solar eclipse" },
    ]);
    assert.equal(response.status, 200);
    const [p] = ((await response.json()) as { predictions: PredictionBody[] }).predictions;
    assert.equal(p!.out_of_scope, 1);
    assert.equal(p!.needs_review, true);
  });

  test("accepts the seed's CFPB complaint records, mixed with tickets, ids echoed with their type", async () => {
    const response = await postJson(`${api.url}/api/predict`, [
      {
        _index: "complaint-public-v2",
        _id: "3211475",
        _source: {
          product: "Mortgage",
          complaint_what_happened:
            "The servicer started foreclosure on my home and lost my mortgage modification.",
        },
      },
      { id: 17, text: "My credit card has an annual fee and the interest rate went up." },
    ]);
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: PredictionBody[] };
    assert.equal(predictions[0]!.id, "3211475");
    assert.equal(predictions[0]!.topic, "Mortgages/loans");
    assert.equal(predictions[1]!.id, 17);
    assert.equal(predictions[1]!.topic, "Credit card / Prepaid card");
  });

  test("a text with no known word is classified (low confidence), not refused", async () => {
    // An empty or blank text is refused (400): test/integration/api-errors.test.ts.
    const response = await postJson(`${api.url}/api/predict`, [{ id: "e", text: "zzqx qqzz" }]);
    assert.equal(response.status, 200);
    const [p] = ((await response.json()) as { predictions: PredictionBody[] }).predictions;
    assert.deepEqual(p!.explanation, []);
    assert.equal(p!.needs_review, true);
  });

  test("texts over the limit are truncated by default and say so", async () => {
    const long = `${"My credit card was charged twice. ".repeat(100)}`;
    const response = await postJson(`${api.url}/api/predict`, [{ id: "long", text: long }]);
    assert.equal(response.status, 200);
    const [p] = ((await response.json()) as { predictions: PredictionBody[] }).predictions;
    assert.equal(p!.truncated, true);
    assert.equal(p!.topic, "Credit card / Prepaid card");
  });

  test("/metrics counts predictions per topic and department, low confidence and batch sizes", async () => {
    const before = await (await fetch(`${api.url}/metrics`)).text();
    const cards = { topic_id: "1", topic: "Credit card / Prepaid card", department: "Cards" };
    const lending = { topic_id: "3", topic: "Mortgages/loans", department: "Lending" };
    await postJson(`${api.url}/api/predict`, [
      { id: 1, text: "My credit card was charged an annual fee and a late fee." },
      { id: 2, text: "The credit card company raised my interest rate and card limit." },
      { id: 3, text: "The mortgage servicer started foreclosure on my home loan." },
      { id: 4, text: "zzqx qqzz" },
    ]);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.equal(
      metricValue(text, "inflow_predictions_total", cards) -
        metricValue(before, "inflow_predictions_total", cards),
      2,
    );
    assert.equal(
      metricValue(text, "inflow_predictions_total", lending) -
        metricValue(before, "inflow_predictions_total", lending),
      1,
    );
    const lowBefore = sumOf(before, "inflow_low_confidence_predictions_total");
    assert.ok(
      sumOf(text, "inflow_low_confidence_predictions_total") - lowBefore >= 1,
      "the ticket of unknown words needs review",
    );
    assert.equal(
      metricValue(text, "inflow_predict_batch_size_bucket", { le: "4" }) -
        metricValue(before, "inflow_predict_batch_size_bucket", { le: "4" }),
      1,
    );
    assert.equal(
      metricValue(text, "inflow_http_requests_total", {
        method: "POST",
        route: "/api/predict",
        status_code: "200",
      }) -
        metricValue(before, "inflow_http_requests_total", {
          method: "POST",
          route: "/api/predict",
          status_code: "200",
        }),
      1,
    );
    assert.equal(
      metricValue(text, "inflow_model_info", {
        version: "v1",
        topic_model_version: "fixture-topics-42",
        trained_date: "2024-07-01",
      }),
      1,
    );
    assert.equal(metricValue(text, "inflow_model_reloads_total"), 1);
    assert.equal(
      metricValue(text, "inflow_model_trained_timestamp_seconds"),
      Date.parse("2024-07-01T00:00:00Z") / 1000,
    );
  });

  test("GET /api/model describes the served model and its routing table", async () => {
    const response = await fetch(`${api.url}/api/model`);
    assert.equal(response.status, 200);
    const info = (await response.json()) as {
      version: string;
      classes: number;
      taxonomy: { review_threshold: number; topics: { id: number; department: string }[] };
      fingerprint: string;
    };
    assert.equal(info.version, "v1");
    assert.equal(info.classes, 5);
    assert.equal(info.taxonomy.review_threshold, 0.5);
    assert.equal(info.taxonomy.topics.find((t) => t.id === 2)?.department, "Fraud and disputes");
    assert.match(info.fingerprint, /^sha256:[0-9a-f]{64}$/);
  });

  test("health and ready answer; request ids are echoed or generated", async () => {
    const health = await fetch(`${api.url}/api/health`, { headers: { "x-request-id": "abc-123" } });
    assert.deepEqual(await health.json(), { status: "ok" });
    assert.equal(health.headers.get("x-request-id"), "abc-123");
    const ready = await fetch(`${api.url}/api/ready`, { headers: { "x-request-id": "bad id with spaces" } });
    assert.deepEqual(await ready.json(), { status: "ready", model_version: "v1" });
    assert.match(ready.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
  });

  test("once shutdown begins, every answer closes its connection and still carries the request id", async () => {
    const get = (url: string, id: string) =>
      api.app.inject({ method: "GET", url, headers: { "x-request-id": id } });
    const before = await get("/api/health", "before-1");
    assert.notEqual(before.headers.connection, "close");
    assert.equal(before.headers["x-request-id"], "before-1");
    api.state.shuttingDown = true;
    try {
      for (const [url, status] of [
        ["/api/health", 200],
        ["/api/nope", 404],
      ] as const) {
        const during = await get(url, `during-${status}`);
        assert.equal(during.statusCode, status);
        assert.equal(during.headers.connection, "close");
        assert.equal(during.headers["x-request-id"], `during-${status}`);
      }
    } finally {
      api.state.shuttingDown = false;
    }
  });

  test("/openapi.json documents every endpoint with the configured limits", async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { maxItems: number } }> } }>
      >;
    };
    for (const path of ["/api/predict", "/api/health", "/api/ready", "/api/model", "/metrics"]) {
      assert.ok(spec.paths[path], `${path} is documented`);
    }
    assert.equal(
      spec.paths["/api/predict"]!.post!.requestBody!.content["application/json"]!.schema.maxItems,
      8,
    );
    assert.equal((await fetch(`${api.url}/docs/`)).status, 200);
  });
});

function sumOf(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n"))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(" ").at(-1));
  return sum;
}
