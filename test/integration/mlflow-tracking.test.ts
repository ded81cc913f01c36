import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { MlflowClient } from "../../mlflow/client.js";
import { MlflowModelRegistry } from "../../mlflow/registry.js";
import { createModelSource } from "../../server/model/source.js";
import { mirrorChampionPointer } from "../../src/tracking/routing-registry.js";
import { openStore } from "../../stores/open.js";
import { spawnServe } from "../harness/api-server.js";
import { browser, closeBrowser, screenshot } from "../harness/browser.js";
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
  {"id": r.info.run_id, "experimentId": r.info.experiment_id, "status": r.info.status, "tags": r.data.tags, "params": r.data.params,
   "metrics": r.data.metrics, "artifacts": [f.path for f in c.list_artifacts(r.info.run_id)]} for r in runs]}
evaluate = [r for r in runs if r.data.tags.get("step") == "evaluate" and r.info.status == "FINISHED"]
out["png"] = c.download_artifacts(evaluate[0].info.run_id, "confusion-matrix.png", tempfile.mkdtemp())
out["pngRun"] = evaluate[0].info.run_id
out["versions"] = [{"version": v.version, "run_id": v.run_id, "source": v.source, "tags": v.tags}
  for v in c.search_model_versions("name='${model}'")]
out["champion"] = c.get_model_version_by_alias("${model}", "champion").version
for r in out["runs"]:
    full = c.get_run(r["id"])
    r["inputs"] = [{"name": d.dataset.name, "digest": d.dataset.digest, "source": d.dataset.source,
      "tags": {t.key: t.value for t in d.tags}} for d in full.inputs.dataset_inputs]
    r["outputs"] = [m.model_id for m in (full.outputs.model_outputs if full.outputs else [])]
    r["history"] = {k: [[m.step, m.value] for m in c.get_metric_history(r["id"], k)]
      for k in ("fit/loss", "nmf/relative_violation") if k in r["metrics"]}
import mlflow, mlflow.models
mlflow.set_tracking_uri(sys.argv[1])
info = mlflow.models.get_model_info("models:/${model}@champion")
out["modelInfo"] = {"flavors": info.flavors, "model_id": info.model_id, "run_id": info.run_id,
  "inputs": info.signature.inputs.to_dict(), "outputs": info.signature.outputs.to_dict()}
lm = c.get_logged_model(info.model_id)
out["loggedModel"] = {"status": str(lm.status), "source_run_id": lm.source_run_id, "name": lm.name}
print(json.dumps(out))
`;

interface ReadBack {
  experiment: string;
  runs: {
    id: string;
    experimentId: string;
    status: string;
    tags: Record<string, string>;
    params: Record<string, string>;
    metrics: Record<string, number>;
    artifacts: string[];
    inputs: { name: string; digest: string; source: string; tags: Record<string, string> }[];
    outputs: string[];
    history: Record<string, [number, number][]>;
  }[];
  png: string;
  pngRun: string;
  versions: { version: string; run_id: string; source: string; tags: Record<string, string> }[];
  champion: string;
  modelInfo: {
    flavors: Record<string, Record<string, unknown>>;
    model_id: string;
    run_id: string;
    inputs: { name: string; type: string }[];
    outputs: { name: string; type: string }[];
  };
  loggedModel: { status: string; source_run_id: string; name: string };
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
    await closeBrowser();
    await ws?.dispose();
    await server?.stop();
  });

  let readBackResult: ReadBack | undefined;
  /** MLflow's Python client's view, read once the pipeline steps are done (a Python start is slow). */
  const readBackOnce = (): ReadBack => {
    readBackResult ??= JSON.parse(
      execFileSync(server.python, ["-c", readBack, server.uri], { encoding: "utf8", cwd: repoRoot }),
    ) as ReadBack;
    return readBackResult;
  };

  const ok = (...args: string[]) => {
    const result = ws.run(...args);
    assert.equal(result.status, 0, `${args.join(" ")}: ${result.stderr.slice(-2000)}`);
    return result;
  };

  test("every step of a date is an MLflow run; evaluate registers and promotes the model", async () => {
    ok("tickets", "generate", "--date", d1, "--count", "900", "--days", "7", "--seed", "3");
    // Two shards at once, each its own process: both steps end up under one parent run.
    const shards = await Promise.all(
      [0, 1].map((shard) =>
        runAsync(ws, ["tickets", "preprocess", "--date", d1, "--shards", "2", "--shard", String(shard)]),
      ),
    );
    for (const shard of shards) assert.equal(shard.status, 0, shard.stderr.slice(-2000));
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
    const out = readBackOnce();
    assert.equal(out.experiment, "inflow-tickets");
    const finished = (step: string, date: string) =>
      out.runs.filter((r) => r.tags.step === step && r.tags.logical_date === date && r.status === "FINISHED");
    for (const step of ["generate", "relabel", "train", "evaluate"])
      assert.equal(finished(step, d1).length, 1, `one finished ${step} run for ${d1}`);
    // The run cut off by the outage could not be told it failed: it stays RUNNING next to the rerun's.
    const d2Train = out.runs.filter((r) => r.tags.step === "train" && r.tags.logical_date === d2);
    assert.deepEqual(d2Train.map((r) => r.status).sort(), ["FINISHED", "RUNNING"]);

    // One parent run per execution, every step nested under it, named after the execution.
    const execution = (date: string) =>
      out.runs.filter((r) => r.tags["inflow.execution"] === `tickets/${date}/manual__${date}`);
    for (const date of [d1, d2]) {
      const parents = execution(date);
      assert.equal(parents.length, 1, `one parent run for ${date}`);
      assert.equal(parents[0]!.tags["mlflow.runName"], `tickets manual__${date}`);
      assert.equal(parents[0]!.status, "FINISHED", "the parent ends with its last step");
      const steps = out.runs.filter((r) => r.tags.logical_date === date && r.tags.step);
      assert.ok(
        steps.every((r) => r.tags["mlflow.parentRunId"] === parents[0]!.id),
        `${date}'s steps are nested`,
      );
    }
    assert.equal(finished("preprocess", d1).length, 2, "both shards' runs");

    const train = finished("train", d1)[0]!;
    assert.equal(train.tags["mlflow.runName"], `train manual__${d1}`);
    assert.equal(train.tags["mlflow.source.name"], "inflow tickets train");
    assert.equal(train.tags["mlflow.source.type"], "JOB");
    assert.match(train.tags["mlflow.source.git.commit"]!, /^[0-9a-f]{40}$/);
    assert.ok(train.tags["mlflow.user"]);
    assert.equal(train.params.C, "1");
    assert.equal(train.params.class_weight, "balanced");
    assert.equal(train.params.min_df, "2");
    assert.ok(train.metrics["test/macro_f1"]! > 0.6, `test/macro_f1 ${train.metrics["test/macro_f1"]}`);
    // The L-BFGS objective per iteration: one point per iteration, never rising.
    const loss = train.history["fit/loss"]!;
    assert.equal(loss.length, train.metrics["fit/iterations"]);
    assert.deepEqual(
      loss.map(([step]) => step),
      loss.map((_, i) => i + 1),
    );
    assert.ok(
      loss.every(([, v], i) => i === 0 || v <= loss[i - 1]![1]),
      "the loss never rises",
    );
    const relabel = finished("relabel", d1)[0]!;
    assert.equal(relabel.history["nmf/relative_violation"]!.length, relabel.metrics["nmf/iterations"]);
    // The dataset it trained on, as MLflow records inputs: digest = the manifest's sha256 (MLflow's 36-char limit).
    const trainingSet = train.inputs.find((i) => i.tags["mlflow.data.context"] === "training")!;
    assert.equal(trainingSet.name, `tickets/labelled date=${d1}`);
    assert.equal(trainingSet.tags["inflow.sha256"], train.tags["data.labelled.sha256"]);
    assert.equal(trainingSet.digest, train.tags["data.labelled.sha256"]!.slice(0, 32));
    assert.match(JSON.parse(trainingSet.source).uri, /^file:\/\/.*tickets\.jsonl$/);
    assert.deepEqual(train.artifacts, ["model.json"]);

    const evaluate = finished("evaluate", d1)[0]!;
    assert.deepEqual(
      { ...evaluate.params },
      {
        alpha: "0.05",
        margin: "0.02",
        min_test_tickets: "50",
        resamples: "200",
        seed: "7",
        challenger_version: train.tags["model.version"],
        champion_version: "none",
        truth: "none",
        reference: "topics",
        train_run_id: train.id,
        registered_version: "1",
      },
    );
    assert.equal(evaluate.tags["inflow.train_run_id"], train.id);
    for (const key of [
      "test/accuracy",
      "test/macro_f1",
      "test/macro_f1_low",
      "test/macro_f1_high",
      "promoted",
    ])
      assert.equal(typeof evaluate.metrics[key], "number", key);
    assert.ok(
      evaluate.metrics["test/macro_f1_low"]! <= evaluate.metrics["test/macro_f1"]! &&
        evaluate.metrics["test/macro_f1"]! <= evaluate.metrics["test/macro_f1_high"]!,
    );
    assert.ok(evaluate.inputs.some((i) => i.tags["mlflow.data.context"] === "evaluation"));
    const comparison = finished("evaluate", d2)[0]!;
    assert.equal(
      typeof comparison.metrics["champion/mcnemar_p_value"],
      "number",
      "the champion comparison is tracked",
    );
    assert.equal(comparison.params.champion_version, promoted[0]);

    // The PNG MLflow serves is byte-identical to the one published in the artifact store.
    const pngRun = out.runs.find((r) => r.id === out.pngRun)!;
    const storeUri = pngRun.tags["inflow.store_uri.confusion-matrix.png"]!;
    const published = await readFile(fileURLToPath(storeUri));
    assert.deepEqual(await readFile(out.png), published);
    assert.deepEqual(published.subarray(1, 4).toString(), "PNG");

    // Registered versions are MLflow 3 logged models, outputs of their train runs.
    const versions = out.versions.sort((a, b) => Number(a.version) - Number(b.version));
    assert.deepEqual(
      versions.map((v) => v.version),
      ["1", "2"],
    );
    for (const v of versions) {
      const run = out.runs.find((r) => r.id === v.run_id)!;
      assert.equal(run.tags.step, "train");
      const modelId = /^models:\/(m-[0-9a-f]+)$/.exec(v.source)?.[1];
      assert.ok(modelId, v.source);
      assert.deepEqual(run.outputs, [modelId]);
    }
    // MLflow's own tooling loads the champion's description: Inflow's flavor and the signature.
    assert.deepEqual(Object.keys(out.modelInfo.flavors), ["inflow"]);
    assert.equal(out.modelInfo.flavors.inflow!.model_file, "model.json");
    assert.deepEqual(out.modelInfo.inputs, [{ type: "string", name: "text", required: true }]);
    assert.deepEqual(
      out.modelInfo.outputs.map((c) => `${c.name}:${c.type}`),
      [
        "topic_id:long",
        "topic:string",
        "department:string",
        "confidence:double",
        "out_of_scope:double",
        "needs_review:boolean",
      ],
    );
    assert.equal(out.loggedModel.status, "READY");
    assert.equal(out.loggedModel.source_run_id, out.modelInfo.run_id);
    const champion = versions.find((v) => v.version === out.champion)!;
    assert.equal(
      champion.tags["inflow.model_version"],
      promoted.at(-1),
      "champion is the last promoted model",
    );
  });

  test("the MLflow alias mirrors the store's champion pointer; serve follows either to the same model", async () => {
    const store = await openStore(ws.store);
    const registry = new MlflowModelRegistry(new MlflowClient({ trackingUri: server.uri }));
    const viaAlias = createModelSource(`models:/${model}@champion`, store, registry);
    const viaPointer = createModelSource("champion", store);
    assert.equal(await viaAlias.fingerprint(), await viaPointer.fingerprint());
    const [alias, pointer] = await Promise.all([viaAlias.load(), viaPointer.load()]);
    assert.equal(alias.model.version, pointer.model.version);
    assert.equal(alias.uri, pointer.uri);

    // An alias left behind (a step that failed between the pointer and the alias) is set right by the next mirror.
    const champion = (await registry.getAlias(model, "champion"))!.version;
    const other = champion === "1" ? "2" : "1";
    await registry.setAlias(model, "champion", other);
    assert.notEqual(await viaAlias.fingerprint(), await viaPointer.fingerprint());
    assert.equal(await mirrorChampionPointer(registry, store), champion);
    assert.equal(await viaAlias.fingerprint(), await viaPointer.fingerprint());

    assert.throws(() => createModelSource(`models:/${model}@champion`, store), /INFLOW_TRACKING/);

    // The CLI: `inflow serve --model models:/…@champion` serves the champion from MLflow's alias.
    const env = Object.fromEntries(
      Object.entries(ws.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const served = await spawnServe(env, ["--model", `models:/${model}@champion`]);
    try {
      const info = (await (await fetch(`${served.url}/api/model`)).json()) as {
        version: string;
        source: string;
      };
      assert.equal(info.version, pointer.model.version);
      assert.equal(info.source, pointer.uri);
    } finally {
      served.child.kill("SIGTERM");
      await served.exited;
    }
  });

  test("MLflow's compare view shows two executions' params and shared metrics side by side (screenshot)", async () => {
    const out = readBackOnce();
    const evaluations = [d1, d2].map(
      (date) =>
        out.runs.find(
          (r) => r.tags.step === "evaluate" && r.tags.logical_date === date && r.status === "FINISHED",
        )!,
    );
    const ids = encodeURIComponent(JSON.stringify(evaluations.map((r) => r.id)));
    const experiments = encodeURIComponent(JSON.stringify([evaluations[0]!.experimentId]));
    const page = await (await browser()).newPage({ viewport: { width: 1400, height: 1400 } });
    try {
      await page.goto(`${server.uri}/#/compare-runs?runs=${ids}&experiments=${experiments}`);
      // Rendered once the tables list evaluate's link to its train run and the shared metric names.
      await page.getByText("train_run_id").first().waitFor({ timeout: 60_000 });
      await page.getByText("test/accuracy", { exact: true }).first().waitFor({ timeout: 60_000 });
      await page.getByText(`evaluate manual__${d2}`).first().waitFor({ timeout: 60_000 });
      // The tables in view: the assistant panel closed, the charts and the artifact and tag lists folded.
      await page.getByRole("button", { name: "Close" }).click();
      for (const section of ["Visualizations", "Artifacts", "Tags"])
        await page.getByRole("button", { name: section }).click();
      await screenshot(page, "mlflow-compare-executions");
    } finally {
      await page.close();
    }
  });

  test("the local run store got the same runs (fan-out)", async () => {
    const dir = join(ws.dir, "runs", "inflow-tickets");
    const records = await Promise.all(
      (await readdir(dir)).map(async (id) => JSON.parse(await readFile(join(dir, id, "run.json"), "utf8"))),
    );
    assert.ok(records.some((r) => r.tags.step === "evaluate" && r.status === "FINISHED"));
  });
});

/** Runs a CLI step in its own process without blocking the test (steps at once, as Airflow runs them). */
async function runAsync(ws: Workspace, args: string[]): Promise<{ status: number; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, "bin/inflow.js"), ...args], {
    cwd: ws.dir,
    env: ws.env,
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdout.resume();
  const status = await new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return { status, stderr };
}

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
