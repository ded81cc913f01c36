import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hubSignature } from "../../server/webhooks/signature.js";
import { postJson, startTestApi, type TestApi } from "../harness/api-server.js";

interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  request_id: string;
}

/** Every client mistake gets its 4xx, a JSON body naming the problem, and no stack trace. */
async function expectError(response: Response, status: number, message: RegExp): Promise<ErrorResponse> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = JSON.parse(text) as ErrorResponse;
  assert.equal(body.statusCode, status);
  assert.match(body.message, message);
  assert.equal(body.request_id, response.headers.get("x-request-id"));
  assert.doesNotMatch(text, /\s+at\s+\S+\s+\(|node_modules|\.ts:\d+/, "no stack trace");
  return body;
}

describe("classify API: bad input", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ maxBatch: 4, maxTextChars: 100, longText: "reject", bodyLimitBytes: 4096 });
  });
  after(() => api.close());
  const predict = (body: unknown, headers?: Record<string, string>) =>
    postJson(`${api.url}/api/predict`, body, headers);

  test("invalid JSON → 400", async () => {
    await expectError(await predict('[{"id": 1, "text": "a"'), 400, /not valid JSON/);
  });

  test("empty body with a JSON content type → 400", async () => {
    await expectError(await predict(""), 400, /empty/i);
    await expectError(await predict(" \n\t "), 400, /empty/i);
  });

  test("wrong types and missing fields → 400 naming the field (no coercion)", async () => {
    await expectError(await predict([{ id: 1, text: 5 }]), 400, /body\/0\/text must be string/);
    await expectError(await predict([{ id: 1 }]), 400, /body\/0 must be a ticket .*required property 'text'/);
    await expectError(await predict([{ id: true, text: "a" }]), 400, /body\/0/);
    await expectError(await predict([{ _id: "1", _source: {} }]), 400, /body\/0 must be a ticket/);
    await expectError(
      await predict({ id: 1, text: "a" }),
      400,
      /^body must be an array of tickets: send one ticket as \[\{"id": …, "text": …\}\]$/,
    );
    await expectError(await predict([]), 400, /^body is an empty array: send at least one ticket$/);
    await expectError(await predict(["just a string"]), 400, /body\/0/);
  });

  test("a batch over the limit → 400 naming the limit", async () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ id: i, text: "card fee" }));
    await expectError(
      await predict(five),
      400,
      /^body holds more than 4 tickets, the limit per request \(INFLOW_API_MAX_BATCH\): send them in several requests$/,
    );
  });

  test("a text over the limit → 400 when the policy is reject", async () => {
    await expectError(
      await predict([{ id: 1, text: "x".repeat(101) }]),
      400,
      /body\/0\/text must NOT have more than 100 characters/,
    );
    const ok = await predict([{ id: 1, text: "x".repeat(100) }]);
    assert.equal(ok.status, 200);
  });

  test("an empty or whitespace-only text → 400 naming the ticket, as the CLI rejects it", async () => {
    const blank = /^body\/0\/text is empty or whitespace only/;
    await expectError(await predict([{ id: "x", text: "" }]), 400, blank);
    await expectError(await predict([{ id: "x", text: " \n\t\u00a0\u2003" }]), 400, blank);
    await expectError(
      await predict([
        { id: 1, text: "card fee" },
        { id: 2, text: "   " },
      ]),
      400,
      /^body\/1\/text is empty or whitespace only/,
    );
    await expectError(
      await predict([{ _id: "c-1", _source: { complaint_what_happened: "  " } }]),
      400,
      /^body\/0\/_source\/complaint_what_happened is empty or whitespace only/,
    );
    // The text only has to have something to classify somewhere.
    const padded = await predict([{ id: 1, text: `${" ".repeat(90)}card fee` }]);
    assert.equal(padded.status, 200);
  });

  test("the OpenAPI document states the text must not be blank", async () => {
    const spec = JSON.stringify(await (await fetch(`${api.url}/openapi.json`)).json());
    assert.match(spec, /"minLength":1,"pattern":"\\\\S"/);
    assert.match(spec, /empty or whitespace only is rejected \(400\)/);
  });

  test("a body over the byte limit → 413", async () => {
    await expectError(
      await predict([{ id: 1, text: "y".repeat(5000) }]),
      413,
      /^body is larger than the limit of 4096 bytes \(INFLOW_API_BODY_LIMIT_BYTES\)/,
    );
  });

  test("a content type other than JSON → 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const response = await fetch(`${api.url}/api/predict`, {
        method: "POST",
        headers: { "content-type": type },
        body: "id=1&text=hello",
      });
      const body = await expectError(
        response,
        415,
        /send the body as JSON with the header Content-Type: application\/json$/,
      );
      assert.equal(body.error, "Unsupported Media Type");
    }
  });

  test("unknown routes and methods → 404 JSON without the query string", async () => {
    const body = await expectError(
      await fetch(`${api.url}/api/nope?secret=ticket-text`),
      404,
      /no route GET \/api\/nope$/,
    );
    assert.doesNotMatch(body.message, /secret/);
    await expectError(await fetch(`${api.url}/api/predict`), 404, /no route GET \/api\/predict/);
  });

  test("client errors are counted under their status, unknown routes as 'unmatched'", async () => {
    const count = async (status: string) =>
      Number(
        new RegExp(
          `inflow_http_requests_total\\{method="POST",route="/api/predict",status_code="${status}"\\} (\\d+)`,
        ).exec(await (await fetch(`${api.url}/metrics`)).text())?.[1] ?? 0,
      );
    // One route answering two statuses: each request lands in its own status's series.
    const [ok, bad] = [await count("200"), await count("400")];
    assert.equal((await predict([{ id: 1, text: "card charged twice" }])).status, 200);
    assert.equal((await predict([{ id: 1, text: 5 }])).status, 400);
    assert.equal((await predict([{ id: 2, text: 6 }])).status, 400);
    assert.deepEqual([await count("200"), await count("400")], [ok + 1, bad + 2]);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(
      text,
      /inflow_http_requests_total\{method="POST",route="\/api\/predict",status_code="400"\} \d+/,
    );
    assert.match(text, /inflow_http_requests_total\{method="GET",route="unmatched",status_code="404"\} \d+/);
  });
});

describe("generic webhook: bad input", () => {
  const secret = "generic-webhook-secret-0123456789";
  let api: TestApi;
  before(async () => {
    api = await startTestApi({
      webhooks: {
        zendesk: null,
        jira: null,
        genericSecret: secret,
        toleranceSeconds: 300,
        attemptTimeoutMs: 1000,
        budgetMs: 2000,
      },
    });
  });
  after(() => api.close());

  test("a signed ticket with a blank text → 400 naming the field, like /api/predict", async () => {
    const post = (ticket: unknown) => {
      const raw = JSON.stringify(ticket);
      const timestamp = String(Math.floor(Date.now() / 1000));
      return fetch(`${api.url}/api/webhooks/generic`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-inflow-timestamp": timestamp,
          "x-inflow-signature": hubSignature(secret, Buffer.from(`${timestamp}.${raw}`)),
        },
        body: raw,
      });
    };
    await expectError(
      await post({ id: "w-1", text: " \n " }),
      400,
      /^body\/text is empty or whitespace only/,
    );
    assert.equal((await post({ id: "w-1", text: "card charged twice" })).status, 200);
  });
});

describe("classify API: bearer token", () => {
  let api: TestApi;
  const token = "s3cret-token-0123456789";
  before(async () => {
    api = await startTestApi({ apiToken: token });
  });
  after(() => api.close());
  const body = [{ id: 1, text: "My credit card was charged twice." }];

  test("predict and model need the token; a missing or wrong one → 401 with WWW-Authenticate", async () => {
    const missing = await postJson(`${api.url}/api/predict`, body);
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="inflow"');
    await expectError(missing, 401, /missing bearer token/);
    await expectError(
      await postJson(`${api.url}/api/predict`, body, { authorization: `Bearer ${token}x` }),
      401,
      /invalid/,
    );
    await expectError(
      await postJson(`${api.url}/api/predict`, body, { authorization: "Bearer short" }),
      401,
      /invalid/,
    );
    await expectError(
      await postJson(`${api.url}/api/predict`, body, { authorization: `Basic ${token}` }),
      401,
      /missing/,
    );
    await expectError(await fetch(`${api.url}/api/model`), 401, /missing/);
  });

  test("the right token is accepted", async () => {
    const response = await postJson(`${api.url}/api/predict`, body, { authorization: `Bearer ${token}` });
    assert.equal(response.status, 200);
    const model = await fetch(`${api.url}/api/model`, { headers: { authorization: `bearer ${token}` } });
    assert.equal(model.status, 200);
  });

  test("probes and docs stay open for Kubernetes", async () => {
    for (const path of ["/api/health", "/api/ready", "/openapi.json"]) {
      assert.equal((await fetch(`${api.url}${path}`)).status, 200, path);
    }
  });

  test("the OpenAPI document declares the bearer scheme on the protected routes", async () => {
    const spec = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    assert.deepEqual(spec.paths["/api/predict"]!.post!.security, [{ bearer: [] }]);
    assert.equal(spec.paths["/api/health"]!.get!.security, undefined);
  });
});

describe("classify API: no model yet", () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ withModel: false });
  });
  after(() => api.close());

  test("ready and predict answer 503 until a model loads, health stays 200", async () => {
    assert.equal((await fetch(`${api.url}/api/health`)).status, 200);
    const ready = await fetch(`${api.url}/api/ready`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), {
      status: "not ready",
      model_version: null,
      reason: "no valid model loaded yet",
    });
    await expectError(
      await postJson(`${api.url}/api/predict`, [{ id: 1, text: "card" }]),
      503,
      /no valid model/,
    );
    await expectError(await fetch(`${api.url}/api/model`), 503, /no valid model/);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    assert.match(metrics, /inflow_model_load_failures_total\{reason="unavailable"\} 1/);
  });
});
