import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { ClearmlClient, type ClearmlConnection, scalarsPerBatch } from "../../clearml/client.js";
import { ClearmlTracker, hyperParam, series } from "../../clearml/tracker.js";
import { clearmlWebHost } from "../../src/config/env.js";
import { type ClearmlApiDouble, startClearmlApiDouble } from "../harness/clearml-api-double.js";

let api: ClearmlApiDouble;
before(async () => {
  api = await startClearmlApiDouble();
});
after(() => api.close());

const fast = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };
function connection(extra: Partial<ClearmlConnection> = {}): ClearmlConnection {
  return {
    apiHost: api.apiHost,
    webHost: "http://clearml.example:8080",
    accessKey: api.accessKey,
    secretKey: api.secretKey,
    retry: fast,
    ...extra,
  };
}

test("a step is a training task: project reused, started, hyperparameters, properties, completed", async () => {
  const tracker = new ClearmlTracker(new ClearmlClient(connection()));
  const tags = {
    pipeline: "activity",
    step: "train",
    logical_date: "2026-03-09",
    task_run_id: "manual__2026-03-09",
  };
  const run = await tracker.startRun({ experiment: "inflow-activity", name: "train 2026-03-09", tags });
  await tracker.startRun({ experiment: "inflow-activity", name: "forecast 2026-03-09" });
  assert.equal(api.projects.size, 1, "the project is created once");
  const task = api.tasks.get(run.id)!;
  assert.equal(task.type, "training");
  assert.equal(task.status, "in_progress");
  assert.equal(task.project, api.projects.get("inflow-activity"));
  assert.ok(task.tags.includes("step:train"));
  assert.equal(task.hyperparams.properties!.logical_date!.value, "2026-03-09");

  await run.logParams({
    window_length: 168,
    strategy: "recursive",
    "Model/k": 1,
    probabilistic: false,
    share: 0.5,
  });
  assert.deepEqual(task.hyperparams.General!.window_length, {
    section: "General",
    name: "window_length",
    value: "168",
    type: "int",
  });
  assert.equal(task.hyperparams.General!.strategy!.value, "recursive");
  assert.equal(task.hyperparams.General!.probabilistic!.type, "bool");
  assert.equal(task.hyperparams.Model!.k!.value, "1");

  await run.end("FINISHED");
  assert.equal(task.status, "completed");
  assert.equal(
    run.link,
    `http://clearml.example:8080/projects/${task.project}/experiments/${run.id}/output/log`,
  );
});

test("scalars: one batch per day at iteration = day, series named by the last dot", async () => {
  const run = await new ClearmlTracker(new ClearmlClient(connection())).startRun({
    experiment: "inflow-activity",
    name: "evaluate",
  });
  const before = api.events.length;
  const batches = api.batches.length;
  await run.logMetrics({ smape: 0.25, mae: 3, "backtest.knn.smape": 0.3 }, 20521);
  await run.logMetrics({ smape: 0.2, mae: 2.5, "backtest.knn.smape": 0.28 }, 20522);
  assert.equal(api.batches.length - batches, 2, "one add_batch request per day");
  const events = api.events.slice(before);
  assert.deepEqual(
    events.filter((e) => e.metric === "smape").map((e) => [e.iter, e.value]),
    [
      [20521, 0.25],
      [20522, 0.2],
    ],
  );
  const knn = events.find((e) => e.metric === "backtest.knn")!;
  assert.equal(knn.variant, "smape");
  assert.equal(knn.type, "training_stats_scalar");
  assert.equal(knn.task, run.id);

  // Non-finite values cannot travel as JSON numbers: they are kept as visible properties, not lost.
  await run.logMetrics({ pValue: Number.NaN }, 3);
  assert.equal(api.tasks.get(run.id)!.hyperparams.properties!["nonfinite.pValue.3"]!.value, "NaN");
});

test("many scalars go in several add_batch requests, none dropped", async () => {
  const run = await new ClearmlTracker(new ClearmlClient(connection())).startRun({
    experiment: "inflow-activity",
    name: "backtest",
  });
  const metrics = Object.fromEntries(Array.from({ length: scalarsPerBatch + 7 }, (_, i) => [`m${i}`, i]));
  const batches = api.batches.length;
  await run.logMetrics(metrics, 1);
  assert.deepEqual(api.batches.slice(batches), [scalarsPerBatch, 7]);
  assert.equal(api.events.filter((e) => e.task === run.id).length, scalarsPerBatch + 7);
});

test("artifacts point at the store URI, or are uploaded to the file server when there is one", async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const storeRun = await new ClearmlTracker(new ClearmlClient(connection())).startRun({
    experiment: "inflow-activity",
    name: "chart",
  });
  await storeRun.logArtifact({
    name: "today.png",
    body: png,
    contentType: "image/png",
    storeUri: "s3://customer-sup-tickets-clean/activity/charts/today.png",
  });
  const [artifact] = api.tasks.get(storeRun.id)!.artifacts;
  assert.equal(artifact!.uri, "s3://customer-sup-tickets-clean/activity/charts/today.png");
  assert.equal(artifact!.type, "image");
  assert.equal(artifact!.content_size, png.length);
  assert.equal(artifact!.hash, createHash("sha256").update(png).digest("hex"));
  await assert.rejects(
    storeRun.logArtifact({ name: "report.json", body: "{}" }),
    /no store URI and CLEARML_FILES_HOST is not set/,
  );

  const filesRun = await new ClearmlTracker(
    new ClearmlClient(connection({ filesHost: api.filesHost })),
  ).startRun({
    experiment: "inflow-activity",
    name: "chart",
  });
  await filesRun.logArtifact({
    name: "today.png",
    body: png,
    contentType: "image/png",
    storeUri: "file:///x.png",
  });
  const uploaded = api.tasks.get(filesRun.id)!.artifacts[0]!;
  const path = `inflow-activity/chart.${filesRun.id}/artifacts/today.png/today.png`;
  assert.equal(uploaded.uri, `${api.filesHost}/${path}`);
  assert.deepEqual(api.files.get(path), png);
  assert.deepEqual(uploaded.display_data, [["store_uri", "file:///x.png"]]);
});

test("a failed step marks the task failed", async () => {
  const run = await new ClearmlTracker(new ClearmlClient(connection())).startRun({
    experiment: "inflow-activity",
    name: "forecast",
  });
  await run.end("FAILED");
  assert.equal(api.tasks.get(run.id)!.status, "failed");
});

test("transient 503s are retried; a lasting outage fails clearly after the retries", async () => {
  const client = new ClearmlClient(connection());
  const run = await new ClearmlTracker(client).startRun({ experiment: "inflow-activity", name: "evaluate" });
  api.failNext("events.add_batch", 503, 2);
  await run.logMetrics({ smape: 0.1 }, 5);
  assert.ok(
    api.events.some((e) => e.task === run.id && e.value === 0.1),
    "the metric arrived after two 503s",
  );

  api.failNext("events.add_batch", 503, 3);
  await assert.rejects(
    run.logMetrics({ smape: 0.2 }, 6),
    /ClearML events\.add_batch .* failed after 3 attempts/,
  );
  assert.ok(!api.events.some((e) => e.task === run.id && e.value === 0.2));
});

test("an expired token is renewed with auth.login and the call repeated", async () => {
  const client = new ClearmlClient(connection());
  const run = await new ClearmlTracker(client).startRun({ experiment: "inflow-activity", name: "evaluate" });
  const logins = api.logins;
  api.expireTokens();
  await run.logParams({ zone: "Europe/Moscow" });
  assert.equal(api.logins, logins + 1);
  assert.equal(api.tasks.get(run.id)!.hyperparams.General!.zone!.value, "Europe/Moscow");
});

test("wrong keys are a configuration error naming the variables", async () => {
  const client = new ClearmlClient(connection({ secretKey: "wrong" }));
  await assert.rejects(
    new ClearmlTracker(client).startRun({ experiment: "x", name: "y" }),
    (e: Error) => e.name === "ConfigError" && /CLEARML_API_SECRET_KEY/.test(e.message),
  );
});

test("helpers: series names, hyperparameter sections and the web host derived like ClearML's SDK", () => {
  assert.deepEqual(series("smape"), { metric: "smape", variant: "smape" });
  assert.deepEqual(series("backtest.knn.mae"), { metric: "backtest.knn", variant: "mae" });
  assert.deepEqual(hyperParam("Args/seed", 3), { section: "Args", name: "seed", value: "3", type: "int" });
  assert.equal(clearmlWebHost("http://localhost:8008"), "http://localhost:8080");
  assert.equal(clearmlWebHost("https://api.clear.ml"), "https://app.clear.ml");
});
