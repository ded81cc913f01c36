"""One Airflow task per `inflow <pipeline> <step>`: the only place that knows how a step is run.

Every task runs the task CLI contract (docs/architecture.md): `inflow <pipeline> <step> --date {{ ds }} --run-id
{{ run_id }} [...]`, exit 0 ok, 2 bad input (failed at once, never retried), 1 retryable, 3 nothing
to do for the date (e.g. a window without tickets: the task is skipped, and so are the tasks that
need its output); the last stdout line is the step's JSON summary, which becomes the task's XCom
(of a failed or skipped task too: the error or the reason).

The runner is chosen when the DAG files are parsed, from the environment (`INFLOW_RUNNER`), because it
decides the operator class; an Airflow Variable would cost a metadata-database call on every parse.
- `kubernetes` (default, production): a KubernetesPodOperator pod from the task image, configured by
  the `inflow-config` ConfigMap and the `inflow-secrets` Secret (k8s/base), XCom via
  /airflow/xcom/return.json.
- `local` (compose, CI): the same CLI as a subprocess of the worker (`INFLOW_CLI`, default `inflow`),
  configured by the worker's own environment (the same variable names).

The image is resolved when a task runs: the Variable `inflow_task_image` if set, else
`INFLOW_TASK_IMAGE` of the parsing process. Nothing here touches the network or the database at import.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shlex
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pendulum
from airflow.sdk import BaseOperator, task
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

if TYPE_CHECKING:
    from airflow.sdk import Context

RUNNERS = ("kubernetes", "local")
BAD_INPUT_EXIT_CODE = 2
NOTHING_TO_DO_EXIT_CODE = 3

NAMESPACE = os.environ.get("INFLOW_K8S_NAMESPACE", "inflow")
SERVICE_ACCOUNT = "inflow-task"
CONFIG_MAP = "inflow-config"
SECRET = "inflow-secrets"
DEFAULT_IMAGE = os.environ.get("INFLOW_TASK_IMAGE", "ghcr.io/inflow/inflow-task:latest")
IMAGE = "{{ var.value.get('inflow_task_image', '" + DEFAULT_IMAGE + "') }}"

# Runs can be made (catchup, backfills) for logical dates from here on; INFLOW_START_DATE moves it.
START_DATE = pendulum.parse(os.environ.get("INFLOW_START_DATE", "2024-01-01"), tz="UTC")

# The activity DAGs' times (UTC). The morning report waits for the chart task of the daily run of
# the same day, whose logical date is this much earlier than the report's.
ACTIVITY_DAILY_CRON = "1 0 * * *"
ACTIVITY_REPORT_CRON = "0 9 * * *"
# After the tickets pipeline (02:00 when scheduled daily) has labelled the day before.
TICKETS_LOAD_CRON = "0 4 * * *"
# The load report waits for the forecast task of the tickets_load_daily run of the same day.
TICKETS_LOAD_REPORT_CRON = "0 7 * * *"
TICKETS_LOAD_REPORT_AFTER_FORECAST = timedelta(hours=3)
ACTIVITY_REPORT_AFTER_DAILY = timedelta(hours=8, minutes=59)

# For a task that reads what the same task of the previous run published (a model, a champion): it
# starts only once that task instance, and the tasks right after it, succeeded or were skipped. This,
# not the DAG's max_active_runs (a backfill has its own, 10 by default), keeps overlapping runs equal to
# one-at-a-time; a failed week holds the later ones until it is cleared.
AFTER_PREVIOUS_RUN: dict[str, Any] = {"depends_on_past": True, "wait_for_downstream": True}

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "inflow",
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


@dataclass(frozen=True)
class StepSize:
    """What a step's pod asks for, and how long its task may run."""

    cpu: str
    memory: str
    memory_limit: str
    timeout: timedelta


DEFAULT_SIZE = StepSize(cpu="250m", memory="512Mi", memory_limit="1Gi", timeout=timedelta(minutes=30))
STEP_SIZES: dict[tuple[str, str], StepSize] = {
    ("tickets", "preprocess"): StepSize("1", "1Gi", "2Gi", timedelta(hours=1)),
    ("tickets", "relabel"): StepSize("2", "4Gi", "6Gi", timedelta(hours=2)),
    ("tickets", "label"): StepSize("1", "2Gi", "3Gi", timedelta(hours=1)),
    # One shard of the week's tickets per pod (dags/tickets_pipeline.py).
    ("tickets", "assign"): StepSize("1", "2Gi", "3Gi", timedelta(hours=1)),
    ("tickets", "train"): StepSize("2", "4Gi", "6Gi", timedelta(hours=2)),
    ("tickets", "evaluate"): StepSize("1", "2Gi", "3Gi", timedelta(hours=1)),
    ("activity", "train"): StepSize("1", "1Gi", "2Gi", timedelta(hours=1)),
    # Reads the preprocessed and labelled partitions of the history (91 days by default).
    ("tickets", "forecast"): StepSize("1", "2Gi", "3Gi", timedelta(hours=1)),
}


def runner() -> str:
    """The runner named by INFLOW_RUNNER; anything else is a DAG import error, shown in the UI."""
    name = os.environ.get("INFLOW_RUNNER", "kubernetes")
    if name not in RUNNERS:
        raise ValueError(f"INFLOW_RUNNER must be one of {', '.join(RUNNERS)}, got {name!r}")
    return name


def wait_for(what: str, dag_id: str, task_id: str, execution_delta: timedelta) -> BaseOperator:
    """`wait_for_<what>`: a morning report's wait for the task that produced what it posts, in the run
    of the same day (`execution_delta` earlier); rescheduled every 2 minutes for up to 3 hours, failed
    at once when that task failed."""
    from airflow.providers.standard.sensors.external_task import ExternalTaskSensor

    return ExternalTaskSensor(
        task_id=f"wait_for_{what}",
        external_dag_id=dag_id,
        external_task_id=task_id,
        execution_delta=execution_delta,
        failed_states=["failed", "upstream_failed"],
        mode="reschedule",
        poke_interval=120,
        timeout=timedelta(hours=3).total_seconds(),
        retries=0,
    )


def cli_arguments(pipeline: str, step: str, *extra: str) -> list[str]:
    """The task CLI contract's arguments; every date comes from the run's logical date."""
    return [pipeline, step, "--date", "{{ ds }}", "--run-id", "{{ run_id }}", *extra]


def inflow_task(pipeline: str, step: str, *extra: str, task_id: str | None = None, **kwargs: Any):
    """The operator running one step with the configured runner (kwargs go to BaseOperator)."""
    operator = _operator_class()
    return operator(**_operator_kwargs(pipeline, step, task_id, kwargs), arguments=cli_arguments(pipeline, step, *extra))


def inflow_sharded_task(pipeline: str, step: str, *extra: str, shards: int | str, task_id: str | None = None):
    """One mapped task instance per shard, `--shard i --shards n` for i in range(n).

    `shards` is a count or a template of one (e.g. "{{ params.shards }}"): a small upstream task
    renders the argument lists at run time, and the step is mapped over them.
    """
    arguments = shard_arguments.override(task_id=f"{task_id or step}_shards")(
        base=cli_arguments(pipeline, step, *extra), shards=shards
    )
    return (
        _operator_class()
        .partial(**_operator_kwargs(pipeline, step, task_id, {}))
        .expand(arguments=arguments)
    )


@task(retries=0)
def shard_arguments(base: list[str], shards: int | str) -> list[list[str]]:
    count = int(shards)
    if count < 1:
        raise AirflowFailException(f"shards must be at least 1, got {count}")
    return [[*base, "--shard", str(i), "--shards", str(count)] for i in range(count)]


def _operator_class() -> type[BaseOperator]:
    return pod_operator_class() if runner() == "kubernetes" else InflowCliOperator


def _operator_kwargs(pipeline: str, step: str, task_id: str | None, extra: dict[str, Any]) -> dict[str, Any]:
    size = STEP_SIZES.get((pipeline, step), DEFAULT_SIZE)
    common = {"task_id": task_id or step, "execution_timeout": size.timeout, **extra}
    if runner() == "local":
        return common
    from kubernetes.client import models as k8s

    return {
        **common,
        "name": f"inflow-{pipeline}-{step}",
        "namespace": NAMESPACE,
        "image": IMAGE,
        "image_pull_policy": "IfNotPresent",
        "service_account_name": SERVICE_ACCOUNT,
        "labels": {
            "app.kubernetes.io/name": "inflow-task",
            "app.kubernetes.io/part-of": "inflow",
            "inflow.io/pipeline": pipeline,
            "inflow.io/step": step,
        },
        "env_from": [
            k8s.V1EnvFromSource(config_map_ref=k8s.V1ConfigMapEnvSource(name=CONFIG_MAP)),
            k8s.V1EnvFromSource(secret_ref=k8s.V1SecretEnvSource(name=SECRET)),
        ],
        "container_resources": k8s.V1ResourceRequirements(
            requests={"cpu": size.cpu, "memory": size.memory}, limits={"memory": size.memory_limit}
        ),
        "security_context": k8s.V1PodSecurityContext(
            run_as_non_root=True,
            run_as_user=1000,
            fs_group=1000,
            seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault"),
        ),
        "container_security_context": k8s.V1SecurityContext(
            allow_privilege_escalation=False, capabilities=k8s.V1Capabilities(drop=["ALL"])
        ),
        "do_xcom_push": True,
        "get_logs": True,
        "on_finish_action": "delete_succeeded_pod",
        "reattach_on_restart": True,
        "startup_timeout_seconds": 600,
    }


@functools.cache
def pod_operator_class() -> type[BaseOperator]:
    """KubernetesPodOperator for a step: exit 2 fails the task at once, without retries; exit 3 skips
    it with the step's reason; the pod's pino JSON log is relayed at each line's level, readable.

    Built on first use: the provider and the Kubernetes client load only for the kubernetes runner.
    """
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
    from airflow.providers.cncf.kubernetes.utils.pod_manager import PodManager

    class StepLogPodManager(PodManager):
        # The provider reads a line's level from a text prefix (`ERROR:`) and logs anything else as
        # INFO: a step's JSON lines (stderr) would all be INFO, raw JSON. Its stdout lines stay INFO.
        def _log_message(self, message, container_name, container_name_log_prefix_enabled, log_formatter):
            if not log_step_line(message, self.log):
                super()._log_message(message, container_name, container_name_log_prefix_enabled, log_formatter)

    class InflowPodOperator(KubernetesPodOperator):
        pod_manager_class = StepLogPodManager

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**{"skip_on_exit_code": NOTHING_TO_DO_EXIT_CODE, **kwargs})

        @functools.cached_property
        def pod_manager(self) -> PodManager:
            return self.pod_manager_class(kube_client=self.client, callbacks=self.callbacks)

        def cleanup(self, pod, remote_pod, xcom_result=None, context=None):
            try:
                super().cleanup(pod, remote_pod, xcom_result=xcom_result, context=context)
            except AirflowSkipException as skip:
                reason = xcom_result.get("reason") if isinstance(xcom_result, dict) else None
                raise AirflowSkipException(f"nothing to do: {reason or skip}") from skip
            except AirflowException as error:
                if base_container_exit_code(remote_pod, self.base_container_name) == BAD_INPUT_EXIT_CODE:
                    raise AirflowFailException(f"bad input or configuration (exit 2): {error}") from error
                raise

    return InflowPodOperator


def base_container_exit_code(remote_pod: Any, container: str) -> int | None:
    statuses = (remote_pod.status.container_statuses if remote_pod and remote_pod.status else None) or []
    status = next((s for s in statuses if s.name == container), None)
    terminated = status.state.terminated if status and status.state else None
    return terminated.exit_code if terminated else None


class InflowCliOperator(BaseOperator):
    """Runs `INFLOW_CLI <arguments>` on the worker: the local runner, same contract as the pod.

    Output streams into the task log (the step's JSON log at its own levels); the last stdout line (the
    JSON summary) is the XCom, of a failed task too.
    """

    template_fields = ("arguments",)
    ui_color = "#d9ecf2"

    def __init__(self, *, arguments: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arguments = arguments

    def execute(self, context: Context) -> Any:
        command = [*shlex.split(os.environ.get("INFLOW_CLI", "inflow")), *map(str, self.arguments)]
        self.log.info("Running %s", shlex.join(command))
        last = ""
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None and process.stderr is not None
            # stderr is the step's pino log: relayed line by line at each line's own level, concurrently
            # with stdout (the human summary, then the JSON summary) so neither pipe fills up.
            relay = threading.Thread(target=relay_step_log, args=(process.stderr, self.log), daemon=True)
            relay.start()
            for line in process.stdout:
                self.log.info("%s", line.rstrip())
                if line.strip():
                    last = line.strip()
            relay.join()
        summary = _summary(last)
        if process.returncode == 0:
            return summary
        # The error summary (or the reason to skip) is the XCom of a failed or skipped task too, where
        # the UI and downstream code look.
        if summary:
            context["ti"].xcom_push(key="return_value", value=summary)
        if process.returncode == NOTHING_TO_DO_EXIT_CODE:
            raise AirflowSkipException(f"nothing to do: {summary.get('reason', last)}")
        if process.returncode == BAD_INPUT_EXIT_CODE:
            raise AirflowFailException(f"bad input or configuration (exit 2): {summary.get('error', last)}")
        raise AirflowException(f"inflow exited with {process.returncode}: {summary.get('error', last)}")


# pino's numeric levels (trace 10 … fatal 60) as Python logging levels.
PINO_LEVELS = {10: logging.DEBUG, 20: logging.DEBUG, 30: logging.INFO, 40: logging.WARNING, 50: logging.ERROR}
# Fields every pino line carries: already said by the task log itself.
PINO_BASE_FIELDS = {"level", "time", "pid", "hostname", "service", "name", "msg"}


def relay_step_log(lines: Iterable[str], log: Any) -> None:
    """Logs the step's stderr: each pino JSON line at its level (`log_step_line`), any other line as a
    warning, verbatim."""
    for line in lines:
        text = line.rstrip()
        if text and not log_step_line(text, log):
            log.warning("%s", text)


def log_step_line(line: str, log: Any) -> bool:
    """Logs one pino JSON line at its level as `message key=value …` (`log`: a stdlib or structlog
    logger); False, logging nothing, for any other line."""
    try:
        entry = json.loads(line)
    except ValueError:
        return False
    if not isinstance(entry, dict) or not isinstance(entry.get("level"), int):
        return False
    level = PINO_LEVELS.get(entry["level"], logging.CRITICAL if entry["level"] > 50 else logging.DEBUG)
    fields = " ".join(f"{key}={_field(value)}" for key, value in entry.items() if key not in PINO_BASE_FIELDS)
    log.log(level, "%s%s", entry.get("msg", ""), f" {fields}" if fields else "")
    return True


def _field(value: Any) -> str:
    # An error object (pino's `err`) is its type and message; the stack stays in the step's own output.
    if isinstance(value, dict) and "message" in value:
        return json.dumps(f"{value.get('type', 'Error')}: {value['message']}")
    return value if isinstance(value, str) and value and " " not in value else json.dumps(value)


def _summary(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
