import { basename } from "node:path";
import { OncePerKey } from "../src/tracking/once-per-key.js";
import {
  artifactBytes,
  datasetTags,
  type ParamValue,
  type RunStatus,
  type StartRunOptions,
  type TrackedArtifact,
  type TrackedDataset,
  type Tracker,
  type TrackerRun,
} from "../src/tracking/tracker.js";
import { ConfigError } from "../src/util/errors.js";
import { sha256 } from "../src/util/hash.js";
import type { ClearmlClient } from "./client.js";
import type { ClearmlArtifact, ClearmlHyperParam, ClearmlScalarEvent } from "./types.js";

/** The hyperparameter section ClearML's UI shows as "User Properties": Inflow's tags go there. */
export const propertiesSection = "properties";
/** The section ClearML's SDK uses for connected dictionaries (the seed's window_length, strategy). */
export const generalSection = "General";

/** Records each step as a ClearML training task in the project of its pipeline (inflow-activity). */
export class ClearmlTracker implements Tracker {
  readonly backend = "clearml";
  private readonly projects = new OncePerKey<string>();

  constructor(readonly client: ClearmlClient) {}

  async startRun(options: StartRunOptions): Promise<TrackerRun> {
    const projectId = await this.projects.get(options.experiment, (name) => this.client.ensureProject(name));
    const tags = options.tags ?? {};
    const task = await this.client.createTask({
      name: options.name,
      project: projectId,
      type: "training",
      tags: Object.entries(tags).map(([k, v]) => `${k}:${v}`),
      comment: `Inflow ${options.experiment} step "${options.name}"`,
    });
    await this.client.started(task);
    const run = new ClearmlTrackerRun(this.client, options.experiment, projectId, task, options.name);
    await run.setTags(tags);
    return run;
  }
}

export class ClearmlTrackerRun implements TrackerRun {
  readonly link: string;

  constructor(
    readonly client: ClearmlClient,
    readonly projectName: string,
    readonly projectId: string,
    readonly id: string,
    readonly taskName: string,
  ) {
    this.link = client.taskLink(projectId, id);
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    await this.client.editHyperParams(
      this.id,
      Object.entries(params).map(([key, value]) => hyperParam(key, value)),
    );
  }

  /** One scalar point per metric at iteration `step` (the activity pipeline's day number). */
  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    await this.addPoints(Object.entries(metrics).map(([key, value]) => ({ key, value, step })));
  }

  async logSeries(key: string, values: number[], firstStep = 1): Promise<void> {
    await this.addPoints(values.map((value, i) => ({ key, value, step: firstStep + i })));
  }

  private async addPoints(points: { key: string; value: number; step: number }[]): Promise<void> {
    const timestamp = Date.now();
    const events: ClearmlScalarEvent[] = [];
    const nonFinite: Record<string, string> = {};
    for (const { key, value, step } of points) {
      // JSON has no NaN or Infinity: such values are kept visibly as properties instead of being lost.
      if (!Number.isFinite(value)) {
        nonFinite[`nonfinite.${key}.${step}`] = String(value);
        continue;
      }
      events.push({
        type: "training_stats_scalar",
        task: this.id,
        ...series(key),
        value,
        iter: step,
        timestamp,
      });
    }
    await this.client.addScalars(events);
    if (Object.keys(nonFinite).length > 0) await this.setTags(nonFinite);
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.client.editHyperParams(
      this.id,
      Object.entries(tags).map(([name, value]) => ({ section: propertiesSection, name, value, type: "str" })),
    );
  }

  /**
   * Registers the artifact on the task: uploaded to the ClearML file server when there is one,
   * otherwise pointing at the artifact store URI it was published to.
   */
  async logArtifact(artifact: TrackedArtifact): Promise<void> {
    const body = artifactBytes(artifact);
    const contentType = artifact.contentType ?? "application/octet-stream";
    const uri = this.client.filesHost
      ? await this.client.uploadFile(
          `${this.projectName}/${this.taskName}.${this.id}/artifacts/${artifact.name}/${basename(artifact.name)}`,
          body,
          contentType,
        )
      : artifact.storeUri;
    if (!uri)
      throw new ConfigError(
        `artifact "${artifact.name}" has no store URI and CLEARML_FILES_HOST is not set: ClearML would have no copy of it`,
      );
    const hash = sha256(body);
    const entry: ClearmlArtifact = {
      key: artifact.name,
      type: contentType.startsWith("image/")
        ? "image"
        : contentType === "application/json"
          ? "JSON"
          : "custom",
      mode: "output",
      uri,
      content_size: body.byteLength,
      hash,
      timestamp: Math.floor(Date.now() / 1000),
      type_data: { content_type: contentType, data_hash: hash },
      display_data: artifact.storeUri ? [["store_uri", artifact.storeUri]] : [],
    };
    await this.client.addArtifacts(this.id, [entry]);
  }

  async logInputs(datasets: TrackedDataset[]): Promise<void> {
    await this.setTags(datasetTags(datasets));
  }

  async end(status: RunStatus): Promise<void> {
    if (status === "FINISHED") await this.client.completed(this.id);
    else if (status === "KILLED") await this.client.stopped(this.id, "killed");
    else await this.client.failed(this.id, "the Inflow step failed");
  }
}

/** `backtest.knn.smape` → graph `backtest.knn`, line `smape`; `smape` → graph and line `smape`. */
export function series(key: string): { metric: string; variant: string } {
  const dot = key.lastIndexOf(".");
  return dot <= 0
    ? { metric: key, variant: key }
    : { metric: key.slice(0, dot), variant: key.slice(dot + 1) };
}

/** `section/name` keys choose their section, as in ClearML's SDK; others go to General. */
export function hyperParam(key: string, value: ParamValue): ClearmlHyperParam {
  const slash = key.indexOf("/");
  const [section, name] = slash > 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [generalSection, key];
  const type =
    typeof value === "boolean"
      ? "bool"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "int"
          : "float"
        : "str";
  return { section, name, value: String(value), type };
}
