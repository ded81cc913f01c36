import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { mlmodelFile } from "../../mlflow/registry.js";
import { sourceTags } from "../../mlflow/source.js";
import { datasetInput } from "../../mlflow/tracker.js";
import { snakeCaseKeys } from "../../src/tracking/metric-names.js";
import { routingSignature } from "../../src/tracking/routing-registry.js";

test("MLmodel: Inflow's flavor, the signature as MLflow's column-schema JSON strings, the logged model's ids", () => {
  const text = mlmodelFile(
    {
      files: [{ name: "model.json", body: Buffer.from("{}"), contentType: "application/json" }],
      flavor: { format: "inflow.routing-model", model_file: "model.json" },
      signature: routingSignature,
      params: {},
      tags: {},
    },
    {
      artifactUri: "mlflow-artifacts:/1/models/m-1/artifacts",
      modelId: "m-1",
      runId: "r1",
      created: new Date(0),
    },
  );
  const mlmodel = parse(text);
  assert.deepEqual(mlmodel.flavors, { inflow: { format: "inflow.routing-model", model_file: "model.json" } });
  assert.equal(mlmodel.model_id, "m-1");
  assert.equal(mlmodel.run_id, "r1");
  assert.equal(mlmodel.model_size_bytes, 2);
  assert.equal(mlmodel.utc_time_created, "1970-01-01 00:00:00.000");
  assert.deepEqual(JSON.parse(mlmodel.signature.inputs), [{ type: "string", name: "text", required: true }]);
  assert.equal(JSON.parse(mlmodel.signature.outputs)[0].name, "topic_id");
  assert.equal(mlmodel.signature.params, null);
});

test("a dataset input: digest within MLflow's 36 characters, the whole sha256 as a tag, the store URI as source", () => {
  const sha = "a".repeat(64);
  const input = datasetInput({
    name: "tickets/labelled date=2026-03-09",
    uri: "s3://b/k",
    sha256: sha,
    context: "training",
    rows: 3,
  });
  assert.equal(input.dataset.digest, sha.slice(0, 32));
  assert.equal(input.dataset.source_type, "s3");
  assert.deepEqual(JSON.parse(input.dataset.source), { uri: "s3://b/k" });
  assert.deepEqual(JSON.parse(input.dataset.profile!), { num_rows: 3 });
  assert.deepEqual(input.tags, [
    { key: "mlflow.data.context", value: "training" },
    { key: "inflow.sha256", value: sha },
  ]);
  assert.equal(
    datasetInput({ name: "n", uri: "file:///x", sha256: sha, context: "input" }).dataset.source_type,
    "local",
  );
});

test("source tags: the command, JOB, and the commit INFLOW_GIT_COMMIT names", () => {
  const tags = sourceTags("inflow tickets train", { INFLOW_GIT_COMMIT: "abc123" });
  assert.equal(tags["mlflow.source.name"], "inflow tickets train");
  assert.equal(tags["mlflow.source.type"], "JOB");
  assert.equal(tags["mlflow.source.git.commit"], "abc123");
  assert.ok(tags["mlflow.user"]);
});

test("option objects become snake_case params", () => {
  assert.deepEqual(snakeCaseKeys({ minDf: 2, sublinearTf: true, k: 4 }), {
    min_df: 2,
    sublinear_tf: true,
    k: 4,
  });
});
