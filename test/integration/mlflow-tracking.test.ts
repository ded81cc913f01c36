import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createWorkspace, repoRoot, type Workspace } from "../harness/cli.js";
import { type MlflowServer, startMlflowServer } from "../harness/mlflow-server.js";

const d1 = "2026-03-09";
const d2 = "2026-03-16";
const model = "inflow-ticket-router";

/** Reads everything back with MLflow's own Python client, independent of our TypeScript client. */
const readBack = `
import json, sys, tempfile
from mlflow.tracking import MlflowClient
c = MlflowClient(tracking_uri=sys.argv[1])
exp = c.get_experiment_by_name("inflow-tickets")
runs = c.search_runs([exp.experiment_id], max_results=1000)
out = {"experiment": exp.name, "runs": [
  {"id": r.info.run_id, "status": r.info.status, "tags": r.data.tags, "params": r.data.params,
   "metrics": r.data.metrics, "artifacts": [f.path for f in c.list_artifacts(r.info.run_id)]} for r in runs]}
evaluate = [r for r in runs if r.data.tags.get("step") == "evaluate" and r.info.status == "FINISHED"]
out["png"] = c.download_artifacts(evaluate[0].info.run_id, "confusion-matrix.png", tempfile.mkdtemp())
out["pngRun"] = evaluate[0].info.run_id
out["versions"] = [{"version": v.version, "run_id": v.run_id, "source": v.source, "tags": v.tags}
  for v in c.search_model_versions("name='${model}'")]
out["champion"] = c.get_model_version_by_alias("${model}", "champion").version
print(json.dumps(out))
`;

interface ReadBack {
  experiment: string;
  runs: {
    id: string;
    status: string;
    tags: Record<string, string>;
    params: Record<string, string>;
    metrics: Record<string, number>;
    artifacts: string[];
  }[];
  png: string;
  pngRun: string;
  versions: { version: string; run_id: string; source: string; tags: Record<string, string> }[];
  champion: string;
}

describe("tickets pipeline tracked in a real MLflow server", () => {
  let server: MlflowServer;
  let ws: Workspace;
  const promoted: string[] = [];

  before(async () => {
    server = await startMlflowServer();
    ws = await createWorkspace({ INFLOW_TRACKING: "local,mlflow", MLFLOW_TRACKING_URI: server.uri });
  });
  after(async () => {
    await ws?.dispose();
    await server?.stop();
  });

  const ok = (...args: string[]) => {
    const result = ws.run(...args);
    assert.equal(result.status, 0, `${args.join(" ")}: ${result.stderr.slice(-2000)}`);
    return result;
  };

  test("every step of a date is an MLflow run; evaluate registers and promotes the model", () => {
    ok("tickets", "generate", "--date", d1, "--count", "900", "--days", "7", "--seed", "3");
    ok("tickets", "preprocess", "--date", d1);
    ok("tickets", "relabel", "--date", d1, "--k", "4");
    const train = ok("tickets", "train", "--date", d1);
    assert.equal(train.summary.registeredVersion, "1");
    const evaluate = ok("tickets", "evaluate", "--date", d1, "--resamples", "200");
    assert.equal(evaluate.summary.promote, true);
    assert.equal(evaluate.summary.registryChampion, "1");
    assert.match(
      String(evaluate.summary.trackerRun),
      new RegExp(`${server.uri}/#/experiments/\\d+/runs/[0-9a-f]{32}`),
    );
    promoted.push(String(train.summary.version));
  });

  test("killing MLflow during a step fails it clearly, publishes nothing, and a rerun completes", async () => {
    ok("tickets", "generate", "--date", d2, "--count", "900", "--days", "7", "--seed", "4");
    ok("tickets", "preprocess", "--date", d2);
    ok("tickets", "label", "--date", d2);
    const failed = await runKillingServerWhenStarted(ws, server, ["tickets", "train", "--date", d2]);
    assert.equal(failed.status, 1, "a tracking outage is retryable");
    const summary = JSON.parse(failed.stdout.trim().split("\n").at(-1)!);
    assert.equal(summary.status, "error");
    assert.match(summary.error, /MLflow .* failed after 3 attempts/);
    assert.equal(
      existsSync(join(ws.dir, "clean", "tickets/classifier", `date=${d2}`, "manifest.json")),
      false,
      "no classifier was published for the date",
    );

    await server.restart();
    const train = ok("tickets", "train", "--date", d2);
    assert.equal(train.summary.registeredVersion, "2");
    const evaluate = ok("tickets", "evaluate", "--date", d2, "--resamples", "200");
    if (evaluate.summary.promote === true) promoted.push(String(train.summary.version));
  });

  test("MLflow's own client reads back the runs, the artifact bytes and the champion alias", async () => {
    const out = JSON.parse(
      execFileSync(server.python, ["-c", readBack, server.uri], { encoding: "utf8", cwd: repoRoot }),
    ) as ReadBack;
    assert.equal(out.experiment, "inflow-tickets");
    const finished = (step: string, date: string) =>
      out.runs.filter((r) => r.tags.step === step && r.tags.logical_date === date && r.status === "FINISHED");
    for (const step of ["generate", "preprocess", "relabel", "train", "evaluate"])
      assert.equal(finished(step, d1).length, 1, `one finished ${step} run for ${d1}`);
    // The run cut off by the outage could not be told it failed: it stays RUNNING next to the rerun's.
    const d2Train = out.runs.filter((r) => r.tags.step === "train" && r.tags.logical_date === d2);
    assert.deepEqual(d2Train.map((r) => r.status).sort(), ["FINISHED", "RUNNING"]);

    const train = finished("train", d1)[0]!;
    assert.equal(train.params.C, "1");
    assert.equal(train.params.classWeight, "balanced");
    assert.ok(train.metrics.testAccuracy! > 0.7, `testAccuracy ${train.metrics.testAccuracy}`);
    assert.deepEqual(train.artifacts.sort(), ["model", "model.json"]);
    assert.equal(train.tags["mlflow.runName"], `train ${d1}`);

    const evaluate = finished("evaluate", d1)[0]!;
    for (const key of [
      "accuracy",
      "accuracyLow",
      "accuracyHigh",
      "macroF1",
      "macroF1Low",
      "macroF1High",
      "promoted",
    ])
      assert.equal(typeof evaluate.metrics[key], "number", key);
    assert.ok(
      evaluate.metrics.macroF1Low! <= evaluate.metrics.macroF1! &&
        evaluate.metrics.macroF1! <= evaluate.metrics.macroF1High!,
    );
    const comparison = finished("evaluate", d2)[0]!;
    assert.equal(typeof comparison.metrics.mcnemarPValue, "number", "the champion comparison is tracked");

    // The PNG MLflow serves is byte-identical to the one published in the artifact store.
    const pngRun = out.runs.find((r) => r.id === out.pngRun)!;
    const storeUri = pngRun.tags["inflow.store_uri.confusion-matrix.png"]!;
    const published = await readFile(fileURLToPath(storeUri));
    assert.deepEqual(await readFile(out.png), published);
    assert.deepEqual(published.subarray(1, 4).toString(), "PNG");

    const versions = out.versions.sort((a, b) => Number(a.version) - Number(b.version));
    assert.deepEqual(
      versions.map((v) => v.version),
      ["1", "2"],
    );
    for (const v of versions) {
      const run = out.runs.find((r) => r.id === v.run_id)!;
      assert.equal(run.tags.step, "train");
      assert.match(v.source, new RegExp(`^mlflow-artifacts:/\\d+/${v.run_id}/artifacts/model$`));
    }
    const champion = versions.find((v) => v.version === out.champion)!;
    assert.equal(
      champion.tags["inflow.model_version"],
      promoted.at(-1),
      "champion is the last promoted model",
    );
  });

  test("the local run store got the same runs (fan-out)", async () => {
    const dir = join(ws.dir, "runs", "inflow-tickets");
    const records = await Promise.all(
      (await readdir(dir)).map(async (id) => JSON.parse(await readFile(join(dir, id, "run.json"), "utf8"))),
    );
    assert.ok(records.some((r) => r.tags.step === "evaluate" && r.status === "FINISHED"));
  });
});

/** Runs a CLI step and SIGKILLs the MLflow server as soon as the step has started its tracked run. */
async function runKillingServerWhenStarted(
  ws: Workspace,
  server: MlflowServer,
  args: string[],
): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, "bin/inflow.js"), ...args], {
    cwd: ws.dir,
    env: { ...ws.env, INFLOW_LOG_LEVEL: "info", INFLOW_TRACKING_RETRIES: "2" },
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (!killed && stderr.includes('"msg":"task started"')) {
      killed = true;
      server.kill();
    }
  });
  const status = await new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  assert.ok(killed, "the step started its tracked run before the server was killed");
  return { status, stdout, stderr };
}
