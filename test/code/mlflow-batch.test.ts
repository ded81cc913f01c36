import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { batchLimits, chunkBatch, type LogBatch, validateBatch } from "../../mlflow/batch.js";
import { artifactUrlPath, MlflowClient } from "../../mlflow/client.js";
import { metricValue } from "../../mlflow/tracker.js";

function batch(metrics: number, params: number, tags: number, valueLength = 1): LogBatch {
  return {
    metrics: Array.from({ length: metrics }, (_, i) => ({
      key: `m${i % 7}`,
      value: i,
      timestamp: 1,
      step: i,
    })),
    params: Array.from({ length: params }, (_, i) => ({ key: `p${i}`, value: "v".repeat(valueLength) })),
    tags: Array.from({ length: tags }, (_, i) => ({ key: `t${i}`, value: "t".repeat(valueLength) })),
  };
}

function assertWithinLimits(chunks: LogBatch[]) {
  for (const c of chunks) {
    assert.ok(c.metrics.length <= 1000 && c.params.length <= 100 && c.tags.length <= 100);
    assert.ok(c.metrics.length + c.params.length + c.tags.length <= 1000);
    assert.ok(Buffer.byteLength(JSON.stringify({ run_id: "x".repeat(32), ...c })) <= 1_000_000);
  }
}

test("log-batch is split within MLflow's per-request limits, in order, nothing lost", () => {
  const input = batch(2500, 250, 150);
  const chunks = chunkBatch(input);
  assert.deepEqual(
    chunks.map((c) => [c.params.length, c.tags.length, c.metrics.length]),
    [
      [100, 100, 800],
      [100, 50, 850],
      [50, 0, 850],
    ],
  );
  assertWithinLimits(chunks);
  assert.deepEqual(
    chunks.flatMap((c) => c.metrics),
    input.metrics,
  );
  assert.deepEqual(
    chunks.flatMap((c) => c.params),
    input.params,
  );
  assert.deepEqual(
    chunks.flatMap((c) => c.tags),
    input.tags,
  );
});

test("large values split by the 1 MB request budget", () => {
  const input = batch(0, 100, 100, 6000);
  const chunks = chunkBatch(input);
  assert.ok(chunks.length >= 2, `${chunks.length} chunks`);
  assertWithinLimits(chunks);
  assert.equal(chunks.flatMap((c) => c.params).length + chunks.flatMap((c) => c.tags).length, 200);
});

test("an empty batch sends nothing; a small one is one request", () => {
  assert.deepEqual(chunkBatch(batch(0, 0, 0)), []);
  assert.equal(chunkBatch(batch(10, 3, 2)).length, 1);
});

test("values beyond MLflow's limits are refused before sending, by name", () => {
  const tooLong = batch(0, 1, 0, batchLimits.paramValueLength + 1);
  assert.throws(() => validateBatch(tooLong), /param "p0" has 6001 characters/);
  assert.throws(
    () => validateBatch({ metrics: [], params: [], tags: [{ key: "k".repeat(251), value: "" }] }),
    /key/,
  );
  validateBatch(batch(5, 5, 5, batchLimits.paramValueLength));
});

test("non-finite metrics are spelled as protobuf JSON strings", () => {
  assert.equal(metricValue(0.5), 0.5);
  assert.equal(metricValue(Number.NaN), "NaN");
  assert.equal(metricValue(Number.NEGATIVE_INFINITY), "-Infinity");
});

test("proxied artifact paths follow MLflow's mlflow-artifacts scheme", () => {
  assert.equal(
    artifactUrlPath("mlflow-artifacts:/1/abc/artifacts", "model/model.json"),
    "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/model.json",
  );
  assert.equal(
    artifactUrlPath("mlflow-artifacts://host:5000/2/r/artifacts/", "a b.png"),
    "/api/2.0/mlflow-artifacts/artifacts/2/r/artifacts/a%20b.png",
  );
  assert.throws(() => artifactUrlPath("s3://bucket/1/r/artifacts", "x"), /--serve-artifacts/);
  assert.throws(() => artifactUrlPath("mlflow-artifacts:/1/r/artifacts", "../x"), /\.\./);
});

test("the client sends each chunk as one request and fails the call when the server keeps failing", async () => {
  const bodies: { metrics: unknown[]; params: unknown[]; tags: unknown[] }[] = [];
  let failing = false;
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    if (failing) {
      res.writeHead(503).end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" }));
      return;
    }
    assert.equal(req.url, "/api/2.0/mlflow/runs/log-batch");
    bodies.push(JSON.parse(text));
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new MlflowClient({
      trackingUri: uri,
      retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 10 },
    });
    assert.equal(await client.logBatch("r1", batch(2500, 250, 150)), 3);
    assert.deepEqual(
      bodies.map((b) => b.metrics.length),
      [800, 850, 850],
    );
    failing = true;
    await assert.rejects(
      client.logBatch("r1", batch(1, 0, 0)),
      /log-batch .* failed after 3 attempts: .*503/,
    );
  } finally {
    server.close();
  }
});
