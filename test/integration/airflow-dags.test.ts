/**
 * The DAGs as real Airflow 3 parses them (DagBag from .venv-airflow, scripts/setup-airflow.sh), with
 * both runners: zero import errors, the pipelines' shapes and schedules, and every task's command,
 * image, configuration and retry policy. Each CLI step a DAG names is checked against the built CLI.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import {
  type AirflowHome,
  airflowInstalled,
  createAirflowHome,
  type DagBagReport,
  type DescribedTask,
  dagsFolder,
  describeDags,
} from "../harness/airflow.js";
import { repoRoot, runCli } from "../harness/cli.js";

const skip = airflowInstalled() ? false : "run `bash scripts/setup-airflow.sh` first";

const stepTasks: Record<string, [pipeline: string, step: string][]> = {
  tickets_pipeline: [
    ["tickets", "preprocess"],
    ["tickets", "label"],
    ["tickets", "relabel"],
    ["tickets", "assign"],
    ["tickets", "train"],
    ["tickets", "evaluate"],
  ],
  activity_daily: ["ingest", "aggregate", "evaluate", "train", "forecast", "chart"].map((s) => [
    "activity",
    s,
  ]),
  activity_morning_report: [["activity", "report"]],
  tickets_load_daily: [["tickets", "forecast"]],
  tickets_load_report: [["tickets", "report"]],
};

describe("Airflow DAGs", { skip }, () => {
  let home: AirflowHome;
  let kubernetes: DagBagReport;
  let local: DagBagReport;

  before(async () => {
    home = await createAirflowHome();
    [kubernetes, local] = await Promise.all([describeDags(home, "kubernetes"), describeDags(home, "local")]);
  });
  after(() => home?.dispose());

  test("the DagBag imports with zero errors under both runners", (t) => {
    for (const report of [kubernetes, local]) {
      assert.deepEqual(report.import_errors, {});
      assert.deepEqual(Object.keys(report.dags).sort(), Object.keys(stepTasks).sort());
    }
    t.diagnostic(
      `DagBag (kubernetes runner): ${kubernetes.seconds.toFixed(2)} s with Airflow's import; files: ${kubernetes.files
        .map((f) => `${f.file} ${f.seconds.toFixed(3)} s`)
        .join(", ")}`,
    );
  });

  test("tickets_load_daily at 04:00 runs the load forecast alone, one run at a time; tickets_load_report posts it at 07:00", () => {
    const dag = kubernetes.dags.tickets_load_daily!;
    assert.equal(dag.schedule, "0 4 * * *");
    assert.equal(dag.catchup, false);
    assert.equal(dag.max_active_runs, 1);
    assert.deepEqual(Object.keys(dag.tasks), ["forecast"]);
    const report = kubernetes.dags.tickets_load_report!;
    assert.equal(report.schedule, "0 7 * * *");
    const sensor = report.tasks.wait_for_forecast!;
    assert.equal(sensor.class, "ExternalTaskSensor");
    assert.equal(sensor.external_dag_id, "tickets_load_daily");
    assert.equal(sensor.external_task_id, "forecast");
    assert.equal(sensor.execution_delta, 3 * 3600, "07:00 minus 04:00: the same day's forecast run");
    assert.deepEqual(sensor.downstream, ["report"]);
  });

  test("tickets_pipeline: sharded preprocess → label (→ adopt | refit | keep) | relabel → sharded assign → train → evaluate, weekly, one run at a time", () => {
    const dag = kubernetes.dags.tickets_pipeline!;
    assert.equal(dag.timetable, "CronTriggerTimetable");
    assert.equal(dag.schedule, "0 2 * * 1");
    assert.equal(dag.catchup, false);
    assert.equal(dag.max_active_runs, 1, "labelling uses the model of the previous run");
    assert.deepEqual(dag.params, { shards: 4, window_days: 7, relabel: false, relabel_sample: 50_000 });
    const tasks = dag.tasks;
    assert.deepEqual(tasks.preprocess_shards!.downstream, ["preprocess"]);
    assert.equal(tasks.preprocess!.mapped, true);
    assert.deepEqual(tasks.preprocess!.expand, ["arguments"]);
    assert.deepEqual(tasks.preprocess!.downstream, ["labelling"]);
    assert.deepEqual(tasks.labelling!.downstream, ["label", "relabel"]);
    assert.deepEqual(tasks.label!.downstream, ["novelty_decision"]);
    assert.deepEqual(tasks.novelty_decision!.downstream, ["adopt_topics", "keep_topics", "refit_topics"]);
    assert.deepEqual(tasks.relabel!.downstream, ["assign"]);
    assert.equal(
      tasks.assign!.mapped,
      true,
      "one assign pod per shard labels what relabel fitted on a sample",
    );
    assert.deepEqual(tasks.assign!.upstream, ["assign_shards", "relabel"]);
    assert.deepEqual(tasks.train!.upstream, ["adopt_topics", "assign", "keep_topics", "refit_topics"]);
    assert.equal(tasks.train!.trigger_rule, "none_failed_min_one_success", "train runs after either branch");
    assert.deepEqual(tasks.train!.downstream, ["evaluate"]);
    assert.deepEqual(tasks.evaluate!.downstream, []);
    const afterPreviousRun = Object.values(tasks)
      .filter((t) => t.depends_on_past)
      .map((t) => [t.task_id, t.wait_for_downstream]);
    assert.deepEqual(
      afterPreviousRun.sort(),
      [
        ["evaluate", true],
        ["labelling", true],
      ],
      "labelling waits for the previous run's label/relabel, evaluate for its evaluate: nothing else waits",
    );
  });

  test("activity_daily at 00:01 runs the six steps in order; the morning report at 09:00 waits for its charts", () => {
    const daily = kubernetes.dags.activity_daily!;
    assert.equal(daily.schedule, "1 0 * * *");
    const order = ["ingest", "aggregate", "evaluate", "train", "forecast", "chart"];
    for (const [i, id] of order.entries()) {
      assert.deepEqual(daily.tasks[id]!.downstream, order[i + 1] ? [order[i + 1]] : [], id);
    }
    assert.equal(daily.params.ingest_source, "--live");

    const report = kubernetes.dags.activity_morning_report!;
    assert.equal(report.schedule, "0 9 * * *");
    const sensor = report.tasks.wait_for_charts!;
    assert.equal(sensor.class, "ExternalTaskSensor");
    assert.equal(sensor.external_dag_id, "activity_daily");
    assert.equal(sensor.external_task_id, "chart");
    assert.equal(sensor.mode, "reschedule");
    assert.equal(sensor.execution_delta, 8 * 3600 + 59 * 60, "09:00 minus 00:01: the same day's daily run");
    assert.deepEqual(sensor.downstream, ["report"]);
  });

  test("every step is a KubernetesPodOperator pod running `inflow <pipeline> <step> --date {{ ds }} --run-id {{ run_id }}`", () => {
    for (const [dagId, steps] of Object.entries(stepTasks)) {
      for (const [pipeline, step] of steps) {
        const task = kubernetes.dags[dagId]!.tasks[step]!;
        assert.equal(task.class, "InflowPodOperator", `${dagId}.${step}`);
        const args = commandOf(kubernetes, dagId, step);
        assert.deepEqual(args.slice(0, 6), [
          pipeline,
          step,
          "--date",
          "{{ ds }}",
          "--run-id",
          "{{ run_id }}",
        ]);
        assert.equal(
          task.image,
          "{{ var.value.get('inflow_task_image', 'ghcr.io/inflow/inflow-task:latest') }}",
        );
        assert.equal(task.namespace, "inflow");
        assert.equal(task.service_account_name, "inflow-task");
        assert.deepEqual(task.env_from, [
          { config_map_ref: { name: "inflow-config" } },
          { secret_ref: { name: "inflow-secrets" } },
        ]);
        const resources = task.container_resources as {
          requests: Record<string, string>;
          limits: Record<string, string>;
        };
        assert.ok(
          resources.requests.cpu && resources.requests.memory && resources.limits.memory,
          `${step} resources`,
        );
        assert.equal(
          task.do_xcom_push,
          true,
          "the step summary comes back through /airflow/xcom/return.json",
        );
        assert.equal(task.on_finish_action, "delete_succeeded_pod", "failed pods stay for inspection");
        assert.ok(task.retries >= 2 && task.retry_exponential_backoff, `${step} retries with backoff`);
        assert.ok(Number(task.max_retry_delay) > 0);
        assert.ok(Number(task.execution_timeout) > 0, `${step} has a timeout`);
        const security = task.security_context as {
          run_as_non_root: boolean;
          seccomp_profile: { type: string };
        };
        assert.equal(security.run_as_non_root, true);
        assert.equal(security.seccomp_profile.type, "RuntimeDefault");
      }
    }
    assert.deepEqual(commandOf(kubernetes, "tickets_pipeline", "preprocess").slice(6), [
      "--window-days",
      "{{ params.window_days }}",
    ]);
    assert.deepEqual(commandOf(kubernetes, "tickets_pipeline", "relabel").slice(6), [
      "--sample",
      "{{ params.relabel_sample }}",
      "--no-label",
    ]);
    assert.deepEqual(commandOf(kubernetes, "activity_daily", "ingest").slice(6), [
      "{{ params.ingest_source }}",
    ]);
  });

  test("the local runner runs the same commands on the worker", () => {
    for (const [dagId, steps] of Object.entries(stepTasks)) {
      assert.deepEqual(
        Object.keys(local.dags[dagId]!.tasks).sort(),
        Object.keys(kubernetes.dags[dagId]!.tasks).sort(),
      );
      for (const [, step] of steps) {
        assert.equal(local.dags[dagId]!.tasks[step]!.class, "InflowCliOperator");
        assert.deepEqual(
          commandOf(local, dagId, step),
          commandOf(kubernetes, dagId, step),
          `${dagId}.${step}`,
        );
        assert.equal(local.dags[dagId]!.tasks[step]!.retries, kubernetes.dags[dagId]!.tasks[step]!.retries);
      }
    }
  });

  test("every step and option a DAG passes exists in the built CLI", () => {
    for (const [dagId, steps] of Object.entries(stepTasks)) {
      for (const [pipeline, step] of steps) {
        const help = runCli([pipeline, step, "--help"], process.env);
        assert.equal(help.status, 0, `inflow ${pipeline} ${step} --help`);
        const flags = commandOf(kubernetes, dagId, step)
          .filter((a) => a.startsWith("--"))
          // yargs' negation: --no-label is the boolean --label.
          .map((a) => a.split("=")[0]!.replace(/^--no-/, "--"));
        for (const flag of flags)
          assert.match(help.stdout, new RegExp(`${flag}\\b`), `${pipeline} ${step} ${flag}`);
      }
      for (const source of ["--live", "--export", "--csv", "--jsonl"]) {
        assert.match(
          runCli(["activity", "ingest", "--help"], process.env).stdout,
          new RegExp(`${source}\\b`),
        );
      }
    }
    for (const step of ["preprocess", "assign"])
      assert.match(runCli(["tickets", step, "--help"], process.env).stdout, /--shards\b/);
  });

  test("the ConfigMap, Secret and ServiceAccount the pods name exist in k8s/base", () => {
    const kinds = new Set<string>();
    const base = join(repoRoot, "k8s/base");
    for (const file of readdirSync(base).filter((f) => f.endsWith(".yaml"))) {
      for (const doc of parseAllDocuments(readFileSync(join(base, file), "utf8"))) {
        const value = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
        if (value?.kind) kinds.add(`${value.kind}/${value.metadata?.name}`);
      }
    }
    const generated = readFileSync(join(base, "kustomization.yaml"), "utf8");
    assert.ok(kinds.has("ConfigMap/inflow-config"));
    assert.ok(kinds.has("ServiceAccount/inflow-task"));
    assert.match(generated, /name: inflow-secrets/, "the Secret is generated by kustomize");
  });

  test("DAG files stay cheap to parse: no wall clock, no Variables or connections at import", () => {
    for (const file of readdirSync(dagsFolder).filter((f) => f.endsWith(".py"))) {
      const code = readFileSync(join(dagsFolder, file), "utf8");
      assert.doesNotMatch(code, /\.now\(|utcnow\(|today\(/, `${file}: dates come from the logical date`);
      assert.doesNotMatch(code, /Variable\.get|BaseHook|get_connection|requests\.|urlopen/, file);
    }
  });

  test("an unknown runner is an import error naming INFLOW_RUNNER", async () => {
    const report = await home.python<DagBagReport>(
      `import json, sys\nfrom pathlib import Path\nfrom airflow.dag_processing.dagbag import BundleDagBag\nbag = BundleDagBag(dag_folder=sys.argv[2], bundle_path=Path(sys.argv[2]))\njson.dump({"import_errors": {k: str(v) for k, v in bag.import_errors.items()}}, open(sys.argv[1], "w"))\n`,
      [dagsFolder],
      { INFLOW_RUNNER: "docker" },
    );
    const errors = Object.values(report.import_errors);
    assert.equal(errors.length, Object.keys(stepTasks).length);
    for (const error of errors)
      assert.match(error, /INFLOW_RUNNER must be one of kubernetes, local, got 'docker'/);
  });

  test("a pod exiting with 2 fails its task without retries, 3 skips it with the step's reason; other failures stay retryable", async () => {
    const outcome = await home.python<Record<string, string>>(
      String.raw`
import json, sys
sys.path.append(sys.argv[2])
from kubernetes.client import models as k8s
from inflow_step import pod_operator_class
operator = pod_operator_class()(task_id="t", name="p", image="i", do_xcom_push=True)
for stub in ("process_pod_deletion", "patch_already_checked", "_read_pod_container_states", "_read_pod_events", "is_istio_enabled", "_push_xcom_with_fan_out"):
    setattr(operator, stub, lambda *a, **k: False)
def pod(code):
    state = k8s.V1ContainerState(terminated=k8s.V1ContainerStateTerminated(exit_code=code))
    status = k8s.V1ContainerStatus(name="base", state=state, image="i", image_id="", ready=False, restart_count=0)
    return k8s.V1Pod(metadata=k8s.V1ObjectMeta(name="p"), status=k8s.V1PodStatus(phase="Failed", container_statuses=[status]))
summary = {"status": "skipped", "reason": "no raw tickets in the window 2026-04-20..2026-04-26"}
out = {}
for code in (1, 2, 3):
    try:
        operator.cleanup(pod(code), pod(code), xcom_result=summary, context={"ti": None})
        out[str(code)] = "passed"
    except Exception as error:
        out[str(code)] = type(error).__name__
        if code == 3:
            out["reason"] = str(error)
json.dump(out, open(sys.argv[1], "w"))
`,
      [dagsFolder],
      { INFLOW_RUNNER: "kubernetes" },
    );
    assert.deepEqual(outcome, {
      "1": "AirflowException",
      "2": "AirflowFailException",
      "3": "AirflowSkipException",
      reason: "nothing to do: no raw tickets in the window 2026-04-20..2026-04-26",
    });
  });

  test("a pod's step log reaches the task log at each line's level, readable; its other lines as the provider logs them", async () => {
    const records = await home.python<[string, string][]>(
      String.raw`
import json, sys
import structlog
sys.path.append(sys.argv[2])
from inflow_step import pod_operator_class
# The operator's pod manager, fed the lines the provider reads from the pod's log.
manager = pod_operator_class().pod_manager_class(kube_client=None)
lines = [
    '{"level":30,"time":1765000000000,"pid":1,"hostname":"pod","service":"inflow","name":"tickets.label","msg":"task started","date":"2026-01-05","runId":"r"}',
    '{"level":40,"time":1765000000001,"name":"tickets.label","msg":"slow store","seconds":12}',
    '{"level":50,"time":1765000000002,"name":"tickets.label","msg":"task failed","err":{"type":"InputError","message":"no topic model"},"exitCode":2}',
    '{"status":"error","pipeline":"tickets","step":"label","exitCode":2}',
    'WARNING: a plain line with a level prefix',
]
with structlog.testing.capture_logs() as logs:
    for line in lines:
        manager._log_message(line, "base", True, None)
json.dump([[entry["log_level"].upper(), entry["event"]] for entry in logs], open(sys.argv[1], "w"))
`,
      [dagsFolder],
      { INFLOW_RUNNER: "kubernetes", AIRFLOW__LOGGING__LOGGING_LEVEL: "INFO" },
    );
    assert.deepEqual(records, [
      ["INFO", "task started date=2026-01-05 runId=r"],
      ["WARNING", "slow store seconds=12"],
      ["ERROR", 'task failed err="InputError: no topic model" exitCode=2'],
      ["INFO", '[base] {"status":"error","pipeline":"tickets","step":"label","exitCode":2}'],
      ["WARNING", "[base] WARNING: a plain line with a level prefix"],
    ]);
  });

  test("the local runner relays the step's JSON log at each line's level, readable, and pushes a failure's summary", async () => {
    const outcome = await home.python<{
      records: [string, string][];
      pushed: Record<string, unknown>;
      raised: string;
    }>(
      String.raw`
import json, sys
import structlog
sys.path.append(sys.argv[2])
from inflow_step import InflowCliOperator
pushed = {}
class TaskInstance:  # only what execute() calls on the context's ti
    def xcom_push(self, key, value):
        pushed[key] = value
operator = InflowCliOperator(task_id="label", arguments=["tickets", "label", "--date", "2026-01-05", "--run-id", "r"])
# The operator's own (structlog) logger, captured as Airflow's log handler would receive it.
with structlog.testing.capture_logs() as logs:
    try:
        operator.execute({"ti": TaskInstance()})
        raised = "nothing"
    except Exception as error:
        raised = type(error).__name__
records = [[entry["log_level"].upper(), entry["event"]] for entry in logs]
json.dump({"records": records, "pushed": pushed.get("return_value"), "raised": raised}, open(sys.argv[1], "w"))
`,
      [dagsFolder],
      {
        INFLOW_RUNNER: "local",
        INFLOW_CLI: `${process.execPath} ${join(repoRoot, "bin/inflow.js")}`,
        INFLOW_STORE: `file://${join(home.dir, "empty-store")}`,
        INFLOW_RAW_STORE: `file://${join(home.dir, "empty-raw")}`,
        INFLOW_TRACKING: "local",
        INFLOW_RUN_STORE: join(home.dir, "runs"),
        INFLOW_LOG_LEVEL: "info",
        AIRFLOW__LOGGING__LOGGING_LEVEL: "INFO",
      },
    );
    assert.equal(outcome.raised, "AirflowFailException", "no topic model yet: bad input, exit 2");
    const started = outcome.records.find(([, message]) => message.startsWith("task started"));
    assert.equal(started?.[0], "INFO", JSON.stringify(outcome.records));
    assert.match(started![1], /^task started date=2026-01-05 runId=r /);
    const failed = outcome.records.find(([, message]) => message.startsWith("task failed"));
    assert.equal(failed?.[0], "ERROR");
    assert.match(failed![1], /err="InputError: no topic model published on or before 2026-01-05/);
    assert.ok(
      outcome.records.every(([, message]) => !message.includes('"level":')),
      "no raw pino line in the task log",
    );
    assert.equal(outcome.pushed.status, "error");
    assert.match(String(outcome.pushed.error), /run `inflow tickets relabel --date 2026-01-05` first/);
  });
});

function commandOf(report: DagBagReport, dagId: string, step: string): string[] {
  const dag = report.dags[dagId]!;
  const task: DescribedTask = dag.tasks[step]!;
  if (!task.mapped) return task.arguments as string[];
  // Mapped over argument lists that the upstream shards task renders from this templated base.
  const shards = dag.tasks[`${step}_shards`];
  assert.ok(shards, `${step} is mapped over ${step}_shards`);
  return (shards.op_kwargs as { base: string[] }).base;
}
