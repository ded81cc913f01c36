import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { postJson, repoRoot, spawnServe, tempModelFile } from "../harness/api-server.js";
import { fixtureTickets } from "../harness/routing-model-fixture.js";

/** The real CLI: `node bin/inflow.js serve` (built by `npm run build`), its logs, and SIGTERM. */
describe("inflow serve (spawned)", () => {
  let dir: string;
  let modelPath: string;
  before(async () => {
    ({ dir, modelPath } = await tempModelFile("cli-1"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("serves predictions; access logs are JSON without ticket text", async () => {
    const server = await spawnServe({ INFLOW_MODEL: modelPath, INFLOW_MODEL_POLL_SECONDS: "0" });
    try {
      const ready = await fetch(`${server.url}/api/ready`);
      assert.equal(ready.status, 200);
      const secret = "My credit card number was stolen by zanzibarquokka";
      const response = await postJson(`${server.url}/api/predict`, [{ id: "t1", text: secret }], {
        "x-request-id": "trace-42",
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-request-id"), "trace-42");
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0, server.stderr());
    }
    const lines = server
      .stderr()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = lines.find((l) => l.msg === "request" && l.path === "/api/predict");
    assert.ok(access, "one access-log line for the predict request");
    assert.equal(access.request_id, "trace-42");
    assert.equal(access.status, 200);
    assert.equal(access.tickets, 1);
    assert.doesNotMatch(server.stderr(), /zanzibarquokka/);
    assert.ok(lines.some((l) => l.msg === "model loaded" && l.version === "cli-1"));
  });

  test("SIGTERM: readiness goes false, in-flight requests finish, exit 0", async () => {
    const server = await spawnServe({
      INFLOW_MODEL: modelPath,
      INFLOW_MODEL_POLL_SECONDS: "0",
      INFLOW_API_SHUTDOWN_DELAY_SECONDS: "2",
      INFLOW_API_MAX_BATCH: "256",
    });
    const big = fixtureTickets(256, 5).map((t) => ({ id: t.id, text: t.text }));
    const inFlight = Array.from({ length: 4 }, () => postJson(`${server.url}/api/predict`, big));
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill("SIGTERM");
    // During the shutdown delay the process still answers, but says it is not ready (it may first
    // finish the batches it is busy with before it sees the signal).
    let ready: Response;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ready = await fetch(`${server.url}/api/ready`);
    } while (ready.status === 200);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { reason: string }).reason, "shutting down");
    const responses = await Promise.all(inFlight);
    for (const response of responses) {
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { predictions: unknown[] }).predictions.length, 256);
    }
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /"result":"drained"/);
  });

  test("bad configuration exits 2 listing every problem", () => {
    const run = spawnSync(process.execPath, [join(repoRoot, "bin/inflow.js"), "serve"], {
      env: {
        ...process.env,
        INFLOW_API_PORT: "http",
        INFLOW_API_MAX_BATCH: "0",
        INFLOW_API_LONG_TEXT: "drop",
        INFLOW_API_TOKEN: "short",
      },
      encoding: "utf8",
    });
    assert.equal(run.status, 2);
    for (const name of [
      "INFLOW_API_PORT",
      "INFLOW_API_MAX_BATCH",
      "INFLOW_API_LONG_TEXT",
      "INFLOW_API_TOKEN",
    ]) {
      assert.match(run.stderr, new RegExp(name));
    }
  });
});
