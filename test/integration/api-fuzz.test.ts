/**
 * Property-based fuzzing of the OpenAPI document with schemathesis (scripts/python-requirements.txt):
 * valid and invalid requests generated from /openapi.json against the real CLI, bounded to 200
 * examples per operation with a fixed seed. Zero server errors: no 5xx, nothing logged as failed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { metricValue, repoRoot, spawnServe, testModel } from "../harness/api-server.js";
import { writeRoutingModel } from "../harness/routing-model-fixture.js";

const schemathesis = join(repoRoot, ".venv/bin/schemathesis");

test("schemathesis finds no server error in any documented operation", { timeout: 300_000 }, async (t) => {
  if (!existsSync(schemathesis)) {
    t.skip("run scripts/setup-python.sh first");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "inflow-fuzz-"));
  const modelPath = join(dir, "model.json");
  await writeRoutingModel(modelPath, testModel(), "fuzz");
  const token = "fuzz-token-0123456789";
  const server = await spawnServe({
    INFLOW_MODEL: modelPath,
    INFLOW_MODEL_POLL_SECONDS: "0",
    INFLOW_API_TOKEN: token,
    INFLOW_API_MAX_BATCH: "64",
    INFLOW_API_ACCESS_LOG: "false",
  });
  // The harness waits for readiness, so /api/ready may already have answered 503 while the model loaded:
  // what must not change is the count of server errors while schemathesis runs.
  const serverErrors = async () =>
    (await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text())
      .split("\n")
      .filter((line) => line.startsWith("inflow_http_requests_total{") && /status_code="5\d\d"/.test(line));
  try {
    const errorsBefore = await serverErrors();
    assert.ok(
      errorsBefore.every((line) => line.includes('route="/api/ready"')),
      errorsBefore.join("\n"),
    );
    const run = await runCommand(schemathesis, [
      "run",
      `${server.url}/openapi.json`,
      "--checks",
      "not_a_server_error",
      "--max-examples",
      "200",
      "--seed",
      "20240701",
      "--header",
      `Authorization: Bearer ${token}`,
      "--request-timeout",
      "10",
      "--no-color",
    ]);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /No issues found/);
    const generated = Number(/(\d+) generated/.exec(run.output)?.[1]);
    assert.ok(generated >= 100, `fuzzing generated ${generated} cases`);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.ok(
      metricValue(metrics, "inflow_http_requests_total", {
        method: "POST",
        route: "/api/predict",
        status_code: "400",
      }) > 0,
    );
    assert.deepEqual(await serverErrors(), errorsBefore, "schemathesis caused no server error");
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    await rm(dir, { recursive: true, force: true });
  }
  assert.doesNotMatch(server.stderr(), /"request failed"/);
});

function runCommand(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}
