/**
 * Batch tasks are short-lived pods Prometheus cannot scrape, so each run pushes its freshness and
 * results to the Prometheus Pushgateway (INFLOW_PUSHGATEWAY_URL) with prom-client's client, grouped
 * by pipeline and step (/metrics/job/inflow-tasks/pipeline/<p>/step/<s>). The contract with
 * monitoring/ (alert rules and dashboards) is documented in monitoring/README.md: change names only
 * together with it.
 */
import { Gauge, Pushgateway, Registry } from "prom-client";
import { createLogger, type Logger } from "../util/log.js";
import type { TaskResultValue } from "./task-results.js";

export const taskMetricsJob = "inflow-tasks";

export interface TaskRunMetrics {
  pipeline: string;
  step: string;
  /** The run's logical date, YYYY-MM-DD. */
  date: string;
  /** `skipped`: the step had nothing to do for its date (exit 3), neither a success nor an error. */
  status: "ok" | "skipped" | "error";
  durationSeconds: number;
  /** Results of a successful run, each its own gauge (src/monitoring/task-results.ts); ignored for failed runs. */
  results?: TaskResultValue[];
  /** When the run finished (default now). */
  finishedAt?: Date;
}

/**
 * Pushes one run's metrics. Never throws and never fails the task: monitoring is not worth a
 * retried pipeline. Without a URL it does nothing; a push error is logged as a warning.
 * A successful run replaces its group (PUT); a failed or skipped run updates only its run gauges
 * (POST), so the last success time and the last good results stay visible. Resolves true when the gateway accepted.
 */
export async function pushTaskMetrics(
  run: TaskRunMetrics,
  url: string | null,
  log: Logger = createLogger("monitoring.pushgateway"),
): Promise<boolean> {
  if (url === null) return false;
  try {
    const gateway = new Pushgateway(url, { timeout: 10_000 }, taskRunRegistry(run));
    const group = { jobName: taskMetricsJob, groupings: { pipeline: run.pipeline, step: run.step } };
    await (run.status === "ok" ? gateway.push(group) : gateway.pushAdd(group));
    return true;
  } catch (error) {
    log.warn({ err: error }, "could not push task metrics to the Pushgateway");
    return false;
  }
}

/** One run's gauges (pipeline and step come from the group). Only gauges with a value are registered. */
export function taskRunRegistry(run: TaskRunMetrics): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, value: number) =>
    new Gauge({ name, help, registers: [registry] }).set(value);
  const finished = (run.finishedAt ?? new Date()).getTime() / 1000;
  gauge(
    "inflow_task_last_run_timestamp_seconds",
    "When the step's last run finished, successful or not (Unix seconds)",
    finished,
  );
  gauge(
    "inflow_task_last_status",
    "Outcome of the step's last run: 1 ok or nothing to do, 0 error",
    run.status === "error" ? 0 : 1,
  );
  gauge("inflow_task_duration_seconds", "Wall time of the step's last run", run.durationSeconds);
  const logicalDate = Date.parse(`${run.date}T00:00:00Z`) / 1000;
  if (Number.isFinite(logicalDate)) {
    gauge(
      "inflow_task_logical_date_timestamp_seconds",
      "Logical date (midnight UTC) of the step's last run; older than usual during a backfill",
      logicalDate,
    );
  }
  if (run.status !== "ok") return registry;
  gauge(
    "inflow_task_last_success_timestamp_seconds",
    "When the step's last successful run finished (Unix seconds)",
    finished,
  );
  const results = new Map<string, Gauge>();
  for (const { result, value, labels } of run.results ?? []) {
    let resultGauge = results.get(result.name);
    if (!resultGauge) {
      resultGauge = new Gauge({ ...result, labelNames: result.labelNames ?? [], registers: [registry] });
      results.set(result.name, resultGauge);
    }
    resultGauge.set(labels ?? {}, value);
  }
  return registry;
}
