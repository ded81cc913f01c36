/**
 * Batch tasks are short-lived pods Prometheus cannot scrape, so each run pushes its freshness and
 * quality to the Prometheus Pushgateway (INFLOW_PUSHGATEWAY_URL), grouped by pipeline and step
 * (/metrics/job/inflow-tasks/pipeline/<p>/step/<s>). The contract with monitoring/ (alert rules and
 * dashboards) is documented in monitoring/README.md: change names only together with it.
 */
import { createLogger, type Logger } from "../util/log.js";
import { type Gauge, renderGauges } from "./exposition.js";

export const taskMetricsJob = "inflow-tasks";

/** One labelled value, e.g. `{ name: "forecast_messages", labels: { hour: "13" }, value: 42 }`. */
export interface TaskSeriesValue {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface TaskRunMetrics {
  pipeline: string;
  step: string;
  /** The run's logical date, YYYY-MM-DD. */
  date: string;
  status: "ok" | "error";
  durationSeconds: number;
  /** Results of a successful run, pushed as inflow_task_metric{name}; ignored for failed runs. */
  metrics?: Record<string, number>;
  /** Results with more labels than a name, as inflow_task_metric{name, ...labels}; ignored for failed runs. */
  series?: TaskSeriesValue[];
  /** When the run finished (default now). */
  finishedAt?: Date;
}

/** Labels the Pushgateway group already sets; a series must not override them. */
const reservedLabels = new Set(["job", "instance", "pipeline", "step", "name"]);

/**
 * Pushes one run's metrics. Never throws and never fails the task: monitoring is not worth a
 * retried pipeline. Without a URL it does nothing; a push error is logged as a warning.
 * A successful run replaces its group (PUT); a failed run updates only its run gauges (POST), so the
 * last success time and the last good results stay visible. Resolves true when the gateway accepted.
 */
export async function pushTaskMetrics(
  run: TaskRunMetrics,
  url: string | undefined = process.env.INFLOW_PUSHGATEWAY_URL,
  log: Logger = createLogger("monitoring.pushgateway"),
): Promise<boolean> {
  if (url === undefined || url.trim() === "") return false;
  try {
    const response = await fetch(groupUrl(url.trim(), run.pipeline, run.step), {
      method: run.status === "ok" ? "PUT" : "POST",
      headers: { "content-type": "text/plain; version=0.0.4" },
      body: renderTaskMetrics(run),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 300);
      log.warn({ status: response.status, detail }, "Pushgateway refused the task metrics");
      return false;
    }
    await response.body?.cancel();
    return true;
  } catch (error) {
    log.warn({ err: error }, "could not push task metrics to the Pushgateway");
    return false;
  }
}

/** The group's URL; label values outside [A-Za-z0-9_.-] use the Pushgateway's base64 form. */
export function groupUrl(base: string, pipeline: string, step: string): string {
  const root = base.replace(/\/+$/, "");
  return `${root}/metrics/job/${taskMetricsJob}/${pathLabel("pipeline", pipeline)}/${pathLabel("step", step)}`;
}

function pathLabel(name: string, value: string): string {
  if (/^[A-Za-z0-9_.-]+$/.test(value)) return `${name}/${value}`;
  return `${name}@base64/${Buffer.from(value, "utf8").toString("base64url") || "="}`;
}

/** The exposition text of one run (pipeline and step come from the group's URL). */
export function renderTaskMetrics(run: TaskRunMetrics): string {
  const finished = (run.finishedAt ?? new Date()).getTime() / 1000;
  const logicalDate = Date.parse(`${run.date}T00:00:00Z`) / 1000;
  const gauges: Gauge[] = [
    {
      name: "inflow_task_last_run_timestamp_seconds",
      help: "When the step's last run finished, successful or not (Unix seconds)",
      samples: [{ value: finished }],
    },
    {
      name: "inflow_task_last_status",
      help: "Outcome of the step's last run: 1 ok, 0 error",
      samples: [{ value: run.status === "ok" ? 1 : 0 }],
    },
    {
      name: "inflow_task_duration_seconds",
      help: "Wall time of the step's last run",
      samples: [{ value: run.durationSeconds }],
    },
    {
      name: "inflow_task_logical_date_timestamp_seconds",
      help: "Logical date (midnight UTC) of the step's last run; older than usual during a backfill",
      samples: Number.isFinite(logicalDate) ? [{ value: logicalDate }] : [],
    },
  ];
  if (run.status === "ok") {
    gauges.push(
      {
        name: "inflow_task_last_success_timestamp_seconds",
        help: "When the step's last successful run finished (Unix seconds)",
        samples: [{ value: finished }],
      },
      {
        name: "inflow_task_metric",
        help: "Results of the step's last successful run (e.g. smape, mae), by name",
        samples: resultSamples(run),
      },
    );
  }
  return renderGauges(gauges);
}

function resultSamples(run: TaskRunMetrics): { labels: Record<string, string>; value: number }[] {
  const samples = Object.entries(run.metrics ?? {}).map(([name, value]) => ({ labels: { name }, value }));
  for (const series of run.series ?? []) {
    for (const label of Object.keys(series.labels)) {
      if (reservedLabels.has(label)) throw new Error(`series "${series.name}" may not set label "${label}"`);
    }
    samples.push({ labels: { name: series.name, ...series.labels }, value: series.value });
  }
  return samples;
}

/**
 * The finite numbers of a task's JSON summary, for `metrics`: top-level fields by their key, and
 * fields of nested objects (one level, e.g. `{ metrics: { smape } }`) by their own key unless a
 * top-level field has it.
 */
export function numericSummaryMetrics(summary: Record<string, unknown>): Record<string, number> {
  const nested: Record<string, number> = {};
  const top: Record<string, number> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (typeof value === "number" && Number.isFinite(value)) top[key] = value;
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (typeof innerValue === "number" && Number.isFinite(innerValue)) nested[inner] = innerValue;
      }
    }
  }
  return { ...nested, ...top };
}
