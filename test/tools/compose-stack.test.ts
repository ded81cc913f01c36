/**
 * docker-compose.airflow.yml validated against the Compose specification's JSON schema (the copy
 * compose-go ships, fetched through the Go module proxy by scripts/setup-tools.sh), then what makes
 * the stack work: Airflow 3's four services with the local runner, every file it mounts or builds
 * from, and configuration variables that the code actually reads (same names as k8s).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { repoRoot } from "../harness/cli.js";

const schemaPath = join(repoRoot, ".tools/compose-spec.json");
const skip = existsSync(schemaPath) ? false : "run `bash scripts/setup-tools.sh` first";

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string; dockerfile_inline?: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const text = readFileSync(join(repoRoot, "docker-compose.airflow.yml"), "utf8");
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; configs: object };

/** Every file the code reads configuration in: a variable is real when one of them names it. */
function sourceText(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|py)$/.test(entry.name)) out.push(readFileSync(path, "utf8"));
    }
  };
  for (const dir of ["src", "server", "tasks", "dags", "mlflow", "clearml", "stores"])
    walk(join(repoRoot, dir));
  return out.join("\n");
}

describe("docker-compose.airflow.yml", { skip }, () => {
  test("is valid against the Compose specification", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
    const valid = validate(compose);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    const broken = structuredClone(compose);
    (broken.services.api as Record<string, unknown>).restart = ["always"];
    assert.equal(validate(broken), false, "the schema rejects a wrong file (it can fail)");
  });

  test("Airflow 3: API server, scheduler, DAG processor and triggerer on Postgres, after the migration, local runner", () => {
    const commands = Object.fromEntries(
      Object.entries(compose.services).map(([name, s]) => [name, s.command?.join(" ")]),
    );
    assert.equal(commands["airflow-apiserver"], "api-server");
    assert.equal(commands["airflow-scheduler"], "scheduler");
    assert.equal(commands["airflow-dag-processor"], "dag-processor");
    assert.equal(commands["airflow-triggerer"], "triggerer");
    assert.equal(commands["airflow-init"], "db migrate");
    for (const name of [
      "airflow-apiserver",
      "airflow-scheduler",
      "airflow-dag-processor",
      "airflow-triggerer",
    ]) {
      const s = compose.services[name]!;
      assert.equal(s.environment?.INFLOW_RUNNER, "local", name);
      assert.match(s.environment?.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN ?? "", /^postgresql/, name);
      assert.equal(s.depends_on?.["airflow-init"]?.condition, "service_completed_successfully", name);
      assert.ok(s.volumes?.includes("./dags:/opt/airflow/dags:ro"), name);
      assert.match(s.build?.dockerfile_inline ?? "", /FROM apache\/airflow:3\.\d+\.\d+/);
    }
    for (const name of [
      "postgres",
      "minio",
      "mlflow",
      "api",
      "prometheus",
      "alertmanager",
      "pushgateway",
      "grafana",
    ]) {
      assert.ok(compose.services[name], name);
    }
  });

  test("every mounted path and Dockerfile exists", () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (source.startsWith(".")) assert.ok(existsSync(join(repoRoot, source)), `${name}: ${source}`);
      }
      if (s.build?.dockerfile)
        assert.ok(existsSync(join(repoRoot, s.build.dockerfile)), `${name}: ${s.build.dockerfile}`);
    }
  });

  test("configuration variables are ones the code reads, with the same names as the k8s ConfigMap", () => {
    const source = sourceText();
    const names = new Set<string>();
    for (const s of Object.values(compose.services)) {
      for (const key of Object.keys(s.environment ?? {})) {
        if (/^(INFLOW|AWS|MLFLOW|CLEARML|TELEGRAM)_/.test(key)) names.add(key);
      }
    }
    assert.ok(names.size > 10);
    for (const name of names) assert.ok(source.includes(name), `${name} is read somewhere in the code`);
    const k8sConfig = parse(readFileSync(join(repoRoot, "k8s/base/config.yaml"), "utf8")) as { data: object };
    for (const key of Object.keys(k8sConfig.data)) {
      assert.ok(source.includes(key), `k8s ConfigMap ${key} is read somewhere in the code`);
    }
    const api = compose.services.api!.environment!;
    for (const key of [
      "INFLOW_STORE",
      "MLFLOW_TRACKING_URI",
      "INFLOW_PUSHGATEWAY_URL",
      "AWS_ENDPOINT_URL_S3",
    ]) {
      assert.ok(key in api, `the API gets ${key}`);
    }
  });
});
