import { OncePerKey } from "../src/tracking/once-per-key.js";
import {
  artifactBytes,
  type ParamValue,
  type RunStatus,
  type StartRunOptions,
  type TrackedArtifact,
  type Tracker,
  type TrackerRun,
} from "../src/tracking/tracker.js";
import { type MlflowClient, toTags } from "./client.js";
import type { MlflowMetric } from "./types.js";

/** Tags naming where an artifact was published in Inflow's store, next to the MLflow copy. */
export const storeUriTagPrefix = "inflow.store_uri.";

/** Records each step as an MLflow run in the experiment of its pipeline (inflow-tickets, inflow-activity). */
export class MlflowTracker implements Tracker {
  readonly backend = "mlflow";
  private readonly experiments = new OncePerKey<string>();

  constructor(readonly client: MlflowClient) {}

  async startRun(options: StartRunOptions): Promise<TrackerRun> {
    const id = await this.experiments.get(options.experiment, (name) => this.client.ensureExperiment(name));
    const run = await this.client.createRun({
      experimentId: id,
      runName: options.name,
      tags: options.tags ?? {},
    });
    return new MlflowTrackerRun(this.client, id, run.info.run_id, run.info.artifact_uri);
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
  ) {
    this.link = `${client.trackingUri}/#/experiments/${experimentId}/runs/${id}`;
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    await this.client.logBatch(this.id, { metrics: [], params: list, tags: [] });
  }

  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    const timestamp = Date.now();
    const list: MlflowMetric[] = Object.entries(metrics).map(([key, value]) => ({
      key,
      value: metricValue(value),
      timestamp,
      step,
    }));
    await this.client.logBatch(this.id, { metrics: list, params: [], tags: [] });
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

  async end(status: RunStatus): Promise<void> {
    await this.client.updateRun(this.id, status, Date.now());
  }
}

/** Protobuf JSON spells non-finite doubles as strings; JSON.stringify would send null. */
export function metricValue(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}
