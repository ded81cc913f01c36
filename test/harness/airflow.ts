/**
 * Real Airflow 3 for the DAG tests: the venv made by scripts/setup-airflow.sh, an AIRFLOW_HOME in a
 * temp folder with a SQLite metadata database, and the repository's dags/ as the DAGs folder.
 * Python snippets here only read what Airflow itself parsed or recorded (DagBag, task instances, XComs).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

export const airflowVenv = join(repoRoot, ".venv-airflow");
export const airflowPython = join(airflowVenv, "bin/python");
export const dagsFolder = join(repoRoot, "dags");

export function airflowInstalled(): boolean {
  return existsSync(join(airflowVenv, "bin/airflow"));
}

export interface Completed {
  status: number;
  stdout: string;
  stderr: string;
}

export interface AirflowHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** `airflow <args>` with this home's environment plus `extraEnv`, killed after `timeoutMs` (default 5 min). */
  airflow(args: string[], extraEnv?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Completed>;
  /** A Python snippet in the Airflow venv; its last stdout line parsed as JSON. */
  python<T>(script: string, args?: string[], extraEnv?: NodeJS.ProcessEnv): Promise<T>;
  dispose(): Promise<void>;
}

/**
 * Runs a child without blocking the event loop: tests serve doubles (Telegram, Kubernetes) from
 * this same process while Airflow's tasks call them.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000) {
  return new Promise<Completed>((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** A fresh AIRFLOW_HOME; `migrate` creates its SQLite metadata database (`airflow db migrate`). */
export async function createAirflowHome(
  baseEnv: NodeJS.ProcessEnv = {},
  options: { migrate?: boolean } = {},
): Promise<AirflowHome> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-airflow-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AIRFLOW_HOME: dir,
    AIRFLOW__CORE__DAGS_FOLDER: dagsFolder,
    AIRFLOW__CORE__LOAD_EXAMPLES: "false",
    AIRFLOW__LOGGING__LOGGING_LEVEL: "WARNING",
    ...baseEnv,
  };
  const home: AirflowHome = {
    dir,
    env,
    airflow: (args, extraEnv = {}, timeoutMs) =>
      run(join(airflowVenv, "bin/airflow"), args, { ...env, ...extraEnv }, timeoutMs),
    async python<T>(script: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
      const file = join(dir, `snippet-${Math.random().toString(36).slice(2)}.py`);
      const out = `${file}.json`;
      await writeFile(file, script);
      const result = await run(airflowPython, [file, out, ...args], { ...env, ...extraEnv });
      if (result.status !== 0) throw new Error(`python snippet failed (${result.status}):\n${result.stderr}`);
      return JSON.parse(await readFile(out, "utf8")) as T;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
  if (options.migrate) {
    const migrated = await home.airflow(["db", "migrate"]);
    if (migrated.status !== 0) throw new Error(`airflow db migrate failed:\n${migrated.stderr}`);
  }
  return home;
}

export interface DescribedTask {
  task_id: string;
  class: string;
  mapped: boolean;
  expand?: string[];
  upstream: string[];
  downstream: string[];
  trigger_rule: string;
  retries: number;
  depends_on_past: boolean;
  wait_for_downstream: boolean;
  retry_exponential_backoff: boolean;
  execution_timeout: number | null;
  [field: string]: unknown;
}

export interface DescribedDag {
  schedule: string | null;
  timetable: string;
  catchup: boolean;
  max_active_runs: number;
  start_date: string;
  params: Record<string, unknown>;
  tasks: Record<string, DescribedTask>;
}

export interface DagBagReport {
  import_errors: Record<string, string>;
  /** Import of Airflow plus the parse of every file, as the DAG processor does it. */
  seconds: number;
  files: { file: string; seconds: number; dags: number }[];
  dags: Record<string, DescribedDag>;
}

/**
 * The DagBag as Airflow's DAG processor builds it (BundleDagBag: the DAGs folder on sys.path), with
 * every task's operator fields as data (None fields dropped, Kubernetes models as dicts).
 */
const describeDagsScript = String.raw`
import json, sys, time
from datetime import timedelta
from pathlib import Path
started = time.perf_counter()
from airflow.dag_processing.dagbag import BundleDagBag
bag = BundleDagBag(dag_folder=sys.argv[2], bundle_path=Path(sys.argv[2]))
seconds = time.perf_counter() - started

def plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    return str(value)

FIELDS = ["arguments", "image", "namespace", "env_from", "env_vars", "container_resources", "do_xcom_push",
          "on_finish_action", "service_account_name", "labels", "security_context", "container_security_context",
          "name", "external_dag_id", "external_task_id", "execution_delta", "mode", "timeout", "max_retry_delay",
          "retry_delay", "op_kwargs"]

def describe(task):
    mapped = hasattr(task, "partial_kwargs")
    fields = dict(task.partial_kwargs) if mapped else {f: getattr(task, f) for f in FIELDS if hasattr(task, f)}
    out = {
        "task_id": task.task_id,
        "class": task.operator_name,
        "mapped": mapped,
        "upstream": sorted(task.upstream_task_ids),
        "downstream": sorted(task.downstream_task_ids),
        "trigger_rule": str(task.trigger_rule.value),
        "retries": task.retries,
        "depends_on_past": bool(task.depends_on_past),
        "wait_for_downstream": bool(task.wait_for_downstream),
        "retry_exponential_backoff": bool(task.retry_exponential_backoff),
        "execution_timeout": plain(task.execution_timeout),
        "max_retry_delay": plain(task.max_retry_delay),
    }
    out.update({f: plain(v) for f, v in fields.items() if f in FIELDS and v is not None})
    if mapped:
        out["expand"] = sorted(task._get_specified_expand_input().value.keys())
    return out

report = {
    "import_errors": {k: str(v) for k, v in bag.import_errors.items()},
    "seconds": seconds,
    "files": [{"file": s.file, "seconds": s.duration.total_seconds(), "dags": s.dag_num} for s in bag.dagbag_stats],
    "dags": {
        dag_id: {
            "schedule": getattr(dag.timetable, "expression", None),
            "timetable": type(dag.timetable).__name__,
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "start_date": dag.start_date.isoformat(),
            "params": plain(dag.params.dump()),
            "tasks": {t.task_id: describe(t) for t in dag.tasks},
        }
        for dag_id, dag in bag.dags.items()
    },
}
with open(sys.argv[1], "w") as out:
    json.dump(report, out, default=str)
`;

export function describeDags(home: AirflowHome, runner: "kubernetes" | "local"): Promise<DagBagReport> {
  return home.python<DagBagReport>(describeDagsScript, [dagsFolder], { INFLOW_RUNNER: runner });
}

export interface TaskRecord {
  task_id: string;
  map_index: number;
  state: string | null;
  try_number: number;
  start_date: string | null;
  end_date: string | null;
  xcom: unknown;
}

export interface DagRunRecord {
  run_id: string;
  logical_date: string;
  state: string;
  conf: Record<string, unknown>;
  tasks: TaskRecord[];
}

/** What the metadata database recorded for a DAG's runs: states, tries and return-value XComs. */
const dagRunsScript = String.raw`
import json, sys
from airflow.models import DagRun, TaskInstance
from airflow.models.xcom import XComModel
from airflow.utils.session import create_session
with create_session() as session:
    runs = session.query(DagRun).filter(DagRun.dag_id == sys.argv[2]).order_by(DagRun.logical_date).all()
    out = []
    for run in runs:
        tis = session.query(TaskInstance).filter(TaskInstance.dag_id == run.dag_id, TaskInstance.run_id == run.run_id).all()
        tasks = []
        for ti in sorted(tis, key=lambda t: (t.task_id, t.map_index)):
            xcom = session.query(XComModel).filter(XComModel.dag_id == run.dag_id, XComModel.run_id == run.run_id,
                XComModel.task_id == ti.task_id, XComModel.map_index == ti.map_index,
                XComModel.key == "return_value").one_or_none()
            value = xcom.value if xcom else None
            if isinstance(value, (bytes, str)):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            tasks.append({"task_id": ti.task_id, "map_index": ti.map_index, "state": ti.state, "try_number": ti.try_number,
                          "start_date": ti.start_date.isoformat() if ti.start_date else None,
                          "end_date": ti.end_date.isoformat() if ti.end_date else None, "xcom": value})
        out.append({"run_id": run.run_id, "logical_date": run.logical_date.isoformat(), "state": run.state, "conf": run.conf or {}, "tasks": tasks})
with open(sys.argv[1], "w") as f:
    json.dump(out, f, default=str)
`;

export function dagRuns(home: AirflowHome, dagId: string): Promise<DagRunRecord[]> {
  return home.python<DagRunRecord[]>(dagRunsScript, [dagId]);
}
