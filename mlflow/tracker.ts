import { OncePerKey } from "../src/tracking/once-per-key.js";
import {
  artifactBytes,
  type ParamValue,
  type PipelineExecution,
  type RunStatus,
  type StartRunOptions,
  type TrackedArtifact,
  type TrackedDataset,
  type Tracker,
  type TrackerRun,
} from "../src/tracking/tracker.js";
import { type MlflowClient, searchLiteral, toTags } from "./client.js";
import { sourceTags } from "./source.js";
import type { MlflowDatasetInput, MlflowMetric, MlflowRun } from "./types.js";

/** Tags naming where an artifact was published in Inflow's store, next to the MLflow copy. */
export const storeUriTagPrefix = "inflow.store_uri.";

/** Tag of a pipeline execution's parent run: the execution's key (`<pipeline>/<date>/<run id>`). */
export const executionTag = "inflow.execution";
const parentRunTag = "mlflow.parentRunId";

/**
 * Records each step as an MLflow run in the experiment of its pipeline (inflow-tickets,
 * inflow-activity), nested under one parent run per pipeline execution, as MLflow's UI groups them.
 */
export class MlflowTracker implements Tracker {
  readonly backend = "mlflow";
  private readonly experiments = new OncePerKey<string>();

  constructor(readonly client: MlflowClient) {}

  async startRun(options: StartRunOptions): Promise<TrackerRun> {
    const id = await this.experiments.get(options.experiment, (name) => this.client.ensureExperiment(name));
    const source = options.command ? sourceTags(options.command) : {};
    const parent = options.execution ? await this.executionRun(id, options.execution, source) : null;
    const run = await this.client.createRun({
      experimentId: id,
      runName: options.name,
      tags: { ...options.tags, ...source, ...(parent ? { [parentRunTag]: parent } : {}) },
    });
    // A rerun or a later step reopens a parent an earlier step had ended.
    if (parent) await this.client.updateRun(parent, "RUNNING");
    return new MlflowTrackerRun(this.client, id, run.info.run_id, run.info.artifact_uri, parent);
  }

  /**
   * The execution's parent run: found by its key, else created. Steps of one execution may start at
   * once (preprocess shards), each in its own process: after creating, the oldest run with the key
   * wins and a duplicate deletes itself, so every step ends up under the same parent.
   */
  private async executionRun(
    experimentId: string,
    execution: PipelineExecution,
    source: Record<string, string>,
  ): Promise<string> {
    const find = async () => {
      const runs = await this.client.searchRuns({
        experimentIds: [experimentId],
        filter: `tags.\`${executionTag}\` = ${searchLiteral(execution.key)}`,
      });
      const oldest = (a: MlflowRun, b: MlflowRun) =>
        (a.info.start_time ?? 0) - (b.info.start_time ?? 0) || a.info.run_id.localeCompare(b.info.run_id);
      return runs.sort(oldest)[0]?.info.run_id;
    };
    const found = await find();
    if (found) return found;
    const created = await this.client.createRun({
      experimentId,
      runName: execution.name,
      tags: { ...execution.tags, ...source, [executionTag]: execution.key },
    });
    const winner = (await find()) ?? created.info.run_id;
    if (winner !== created.info.run_id) await this.client.deleteRun(created.info.run_id);
    return winner;
  }
}

export class MlflowTrackerRun implements TrackerRun {
  readonly link: string;

  constructor(
    readonly client: MlflowClient,
    readonly experimentId: string,
    readonly id: string,
    /** `mlflow-artifacts:/<experiment>/<run>/artifacts` on a server with --serve-artifacts. */
    readonly artifactUri: string,
    /** The pipeline execution's parent run, when the step is nested in one. */
    readonly parentId: string | null = null,
  ) {
    this.link = `${client.trackingUri}/#/experiments/${experimentId}/runs/${id}`;
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    await this.client.logBatch(this.id, { metrics: [], params: list, tags: [] });
  }

  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    await this.logPoints(Object.entries(metrics).map(([key, value]) => ({ key, value, step })));
  }

  async logSeries(key: string, values: number[], firstStep = 1): Promise<void> {
    await this.logPoints(values.map((value, i) => ({ key, value, step: firstStep + i })));
  }

  private async logPoints(points: { key: string; value: number; step: number }[]): Promise<void> {
    const timestamp = Date.now();
    const metrics: MlflowMetric[] = points.map(({ key, value, step }) => ({
      key,
      value: metricValue(value),
      timestamp,
      step,
    }));
    await this.client.logBatch(this.id, { metrics, params: [], tags: [] });
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.client.logBatch(this.id, { metrics: [], params: [], tags: toTags(tags) });
  }

  async logArtifact(artifact: TrackedArtifact): Promise<void> {
    const body = artifactBytes(artifact);
    await this.client.uploadArtifact(
      this.artifactUri,
      artifact.name,
      body,
      artifact.contentType ?? "application/octet-stream",
    );
    if (artifact.storeUri)
      await this.setTags({ [`${storeUriTagPrefix}${artifact.name}`]: artifact.storeUri });
  }

  async logInputs(datasets: TrackedDataset[]): Promise<void> {
    if (datasets.length > 0) await this.client.logInputs(this.id, datasets.map(datasetInput));
  }

  /** The parent run takes the status of its latest step, so a failed execution shows failed until a rerun passes. */
  async end(status: RunStatus): Promise<void> {
    const now = Date.now();
    await this.client.updateRun(this.id, status, now);
    if (this.parentId) await this.client.updateRun(this.parentId, status, now);
  }
}

/**
 * A dataset as MLflow records it: the digest is the sha256's first 32 hex digits (MLflow keeps at most
 * 36 characters), the whole sha256 is the input's tag `inflow.sha256`; the source is the store URI.
 */
export function datasetInput(dataset: TrackedDataset): MlflowDatasetInput {
  const scheme = dataset.uri.slice(0, Math.max(0, dataset.uri.indexOf(":")));
  return {
    tags: [
      { key: "mlflow.data.context", value: dataset.context },
      { key: "inflow.sha256", value: dataset.sha256 },
    ],
    dataset: {
      name: dataset.name,
      digest: dataset.sha256.slice(0, 32),
      source_type: scheme === "file" ? "local" : scheme || "local",
      source: JSON.stringify({ uri: dataset.uri }),
      ...(dataset.rows !== undefined ? { profile: JSON.stringify({ num_rows: dataset.rows }) } : {}),
    },
  };
}

/** Protobuf JSON spells non-finite doubles as strings; JSON.stringify would send null. */
export function metricValue(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}
