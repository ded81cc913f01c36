/**
 * Inflow's ClearML client against ClearML's own contract: every request it sends, and every answer
 * the test double gives, validated against the JSON schemas of the API version the client declares,
 * as ClearML's Python SDK ships them (clearml/backend_api/services/v2_23/*.py, frozen by
 * scripts/clearml-schemas.py into test/fixtures/reference). The schemas are made strict: an unknown
 * field fails like a wrong type or a missing required one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import { ClearmlClient, clearmlApiVersion } from "../../clearml/client.js";
import { ClearmlTracker } from "../../clearml/tracker.js";
import { type ClearmlApiDouble, startClearmlApiDouble } from "../harness/clearml-api-double.js";
import { repoRoot } from "../harness/cli.js";
import { pythonReference, referenceMode } from "../harness/python-reference.js";

/** Every endpoint Inflow's client calls (clearml/client.ts). */
const endpoints = [
  "auth.login",
  "projects.get_all",
  "projects.create",
  "tasks.create",
  "tasks.started",
  "tasks.completed",
  "tasks.failed",
  "tasks.stopped",
  "tasks.edit_hyper_params",
  "tasks.add_or_update_artifacts",
  "events.add_batch",
];
/** The SDK release scripts/setup-clearml.sh pins; the script refuses another one. */
const sdk = "2.1.12";
const script = "scripts/clearml-schemas.py";
const python = join(repoRoot, ".venv-clearml/bin/python");

interface EndpointSchemas {
  request: Schema;
  response: Schema;
  jsonLines: boolean;
}
type Schema = { [key: string]: unknown };
interface Contract {
  sdk: string;
  api: string;
  endpoints: Record<string, EndpointSchemas>;
  taskWebPage: string;
}

const contract = pythonReference<Contract>(
  `clearml-api-${clearmlApiVersion}-schemas`,
  [script, sdk, clearmlApiVersion, ...endpoints],
  "",
  { python },
);

/**
 * A copy where every object schema that lists its properties allows no others; except one whose
 * fields also come from alternatives (events.add: the event's anyOf next to model_event), where the
 * alternatives are closed instead.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== "object") return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // Under properties and definitions the keys are names, not keywords: recurse into their values.
    copy[key] =
      key === "properties" || key === "definitions"
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [name, strict(sub)]))
        : strict(value);
  }
  const alternatives = "anyOf" in copy || "oneOf" in copy;
  if ("properties" in copy && !("additionalProperties" in copy) && !alternatives)
    copy.additionalProperties = false;
  return copy;
}

// ClearML's schemas carry keywords of their own (e.g. descriptions on $ref): not strict about the schema.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validators = new Map<string, { request: ValidateFunction; response: ValidateFunction }>();
function validator(endpoint: string, side: "request" | "response"): ValidateFunction {
  const schemas = contract.endpoints[endpoint];
  assert.ok(schemas, `${endpoint} is not in the frozen ClearML ${contract.api} contract`);
  if (!validators.has(endpoint))
    validators.set(endpoint, {
      request: ajv.compile(strict(schemas.request) as Schema),
      response: ajv.compile(strict(schemas.response) as Schema),
    });
  return validators.get(endpoint)![side];
}

function problems(endpoint: string, side: "request" | "response", value: unknown): string[] {
  const values =
    side === "request" && contract.endpoints[endpoint]?.jsonLines ? (value as unknown[]) : [value];
  const validate = validator(endpoint, side);
  return values.flatMap((v) =>
    validate(v)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
  );
}

let api: ClearmlApiDouble;
before(async () => {
  api = await startClearmlApiDouble();
});
after(() => api.close());

function client(filesHost?: string): ClearmlClient {
  return new ClearmlClient({
    apiHost: api.apiHost,
    webHost: "http://clearml.example:8080",
    ...(filesHost ? { filesHost } : {}),
    accessKey: api.accessKey,
    secretKey: api.secretKey,
    retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 },
  });
}

test("the frozen contract is ClearML's API version the client declares, from the pinned SDK", () => {
  assert.equal(contract.api, clearmlApiVersion);
  assert.equal(contract.sdk, sdk);
  assert.deepEqual(Object.keys(contract.endpoints).sort(), [...endpoints].sort());
  // A spot check that the schemas are the server's, not empty shells.
  assert.deepEqual(contract.endpoints["tasks.create"]!.request.required, ["name", "type"]);
  assert.equal(contract.endpoints["events.add_batch"]!.jsonLines, true);
});

test("the strict schemas catch an unknown field, a wrong type and a missing required field", () => {
  const good = { name: "train 2026-03-09", project: "p1", type: "training", tags: ["step:train"] };
  assert.deepEqual(problems("tasks.create", "request", good), []);
  assert.match(problems("tasks.create", "request", { ...good, owner: "me" }).join(), /additional properties/);
  assert.match(problems("tasks.create", "request", { ...good, tags: "step:train" }).join(), /must be array/);
  const { name: _name, ...nameless } = good;
  assert.match(problems("tasks.create", "request", nameless).join(), /required property 'name'/);
  assert.match(problems("tasks.create", "request", { ...good, type: "train" }).join(), /allowed values/);
  const scalar = {
    type: "training_stats_scalar",
    task: "t",
    metric: "smape",
    variant: "smape",
    value: 0.3,
    iter: 1,
  };
  assert.deepEqual(problems("events.add_batch", "request", [scalar]), []);
  assert.notDeepEqual(problems("events.add_batch", "request", [{ ...scalar, iter: "1" }]), []);
  assert.notDeepEqual(problems("events.add_batch", "request", [{ ...scalar, unit: "ratio" }]), []);
  assert.notDeepEqual(
    problems("events.add_batch", "request", [{ ...scalar, type: "training_stats_scalars" }]),
    [],
  );
  assert.match(
    problems("tasks.create", "response", { id: "t", created: true }).join(),
    /additional properties/,
  );
});

test("every request Inflow sends and every answer of the double follow ClearML's schemas", async () => {
  api.exchanges.length = 0;
  const plain = new ClearmlTracker(client());
  const run = await plain.startRun({
    experiment: "inflow-activity",
    name: "evaluate 2026-03-10",
    tags: {
      pipeline: "activity",
      step: "evaluate",
      logical_date: "2026-03-10",
      task_run_id: "scheduled__2026-03-10",
    },
  });
  await run.logParams({
    chat: "1234567",
    zone: "Europe/Berlin",
    day: "2026-03-09",
    window_length: 168,
    share: 0.5,
  });
  await run.logParams({ probabilistic: true, "Model/k": 1 });
  // sMAPE per day: the day number is the iteration, so each evaluated day is one point of the graph.
  await run.logMetrics({ smape: 0.31, mae: 2.5, "backtest.knn.smape": 0.4 }, 20_521);
  await run.logMetrics({ smape: 0.29, rmse: Number.NaN }, 20_522);
  await run.logArtifact({
    name: "evaluation.json",
    body: '{"smape":0.31}\n',
    contentType: "application/json",
    storeUri: "s3://inflow/activity/evaluation.json",
  });
  await run.end("FINISHED");

  const uploading = new ClearmlTracker(client(api.filesHost));
  const failed = await uploading.startRun({ experiment: "inflow-activity", name: "chart 2026-03-10" });
  await failed.logArtifact({
    name: "charts/today.png",
    body: new Uint8Array([137, 80, 78, 71]),
    contentType: "image/png",
  });
  await failed.end("FAILED");
  api.expireTokens(); // the next call gets a 401 and logs in again
  const killed = await plain.startRun({ experiment: "inflow-tickets", name: "train 2026-03-09" });
  await killed.end("KILLED");

  const seen = new Set(api.exchanges.map((e) => e.endpoint));
  assert.deepEqual(
    [...seen].sort(),
    [...endpoints].sort(),
    "the run exercised every endpoint the client calls",
  );
  const found: string[] = [];
  for (const exchange of api.exchanges) {
    assert.equal(exchange.version, clearmlApiVersion, `${exchange.endpoint} names the API version`);
    for (const problem of problems(exchange.endpoint, "request", exchange.body))
      found.push(`request of ${exchange.endpoint}: ${problem}`);
    if (exchange.status !== 200) continue;
    for (const problem of problems(exchange.endpoint, "response", exchange.data))
      found.push(`answer to ${exchange.endpoint}: ${problem}`);
  }
  assert.deepEqual(found, []);
  assert.ok(
    api.exchanges.some((e) => e.status === 401),
    "the expired-token path was exercised",
  );
});

test("the run link is the task page ClearML's SDK links to", async () => {
  const tracker = new ClearmlTracker(client());
  const run = await tracker.startRun({ experiment: "inflow-activity", name: "report 2026-03-10" });
  await run.end("FINISHED");
  const task = api.tasks.get(run.id)!;
  const expected = contract.taskWebPage
    .replace("{web}", "http://clearml.example:8080")
    .replace("{project}", task.project)
    .replace("{task}", run.id);
  assert.equal(run.link, expected);
});

test("the schema script refuses an endpoint its API version does not have", {
  skip: referenceMode() === "read",
}, async () => {
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync(python, [script, sdk, clearmlApiVersion, "tasks.enqueue_everything"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /tasks\.enqueue_everything is not an endpoint of ClearML's API 2\.23/);
});
