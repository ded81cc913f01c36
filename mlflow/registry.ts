import { stringify } from "yaml";
import type { ModelPackage, ModelRegistry, RegisteredVersion } from "../src/tracking/registry.js";
import { findRun, type TrackerRun } from "../src/tracking/tracker.js";
import { type MlflowClient, searchLiteral } from "./client.js";
import { MlflowTrackerRun } from "./tracker.js";
import type { MlflowModelVersion } from "./types.js";

/** MLmodel's name for Inflow's flavor: `flavors.inflow` says the format and which file to load. */
export const inflowFlavor = "inflow";

/**
 * MLflow's model registry. A version is an MLflow 3 logged model (its own artifact location with the
 * model files and an `MLmodel` description: Inflow's flavor and the signature), produced by the train
 * run (the run's output) and registered with source `models:/<model id>`; aliases (champion) point at versions.
 */
export class MlflowModelRegistry implements ModelRegistry {
  readonly backend = "mlflow";

  constructor(private readonly client: MlflowClient) {}

  async registerModel(run: TrackerRun, name: string, model: ModelPackage): Promise<{ version: string }> {
    const mlflowRun = findRun(run, (r): r is MlflowTrackerRun => r instanceof MlflowTrackerRun);
    if (!mlflowRun) throw new Error(`run ${run.id} is not tracked in MLflow: the model cannot be registered`);
    await this.client.ensureRegisteredModel(
      name,
      "Inflow's ticket routing model (TF-IDF + logistic regression)",
    );
    const logged = await this.client.createLoggedModel({
      experimentId: mlflowRun.experimentId,
      name,
      sourceRunId: mlflowRun.id,
      modelType: String(model.flavor.format ?? inflowFlavor),
      params: model.params,
      tags: model.tags,
    });
    const { model_id: modelId, artifact_uri: artifactUri } = logged.info;
    try {
      for (const file of model.files)
        await this.client.uploadArtifact(artifactUri, file.name, file.body, file.contentType);
      const description = mlmodelFile(model, { artifactUri, modelId, runId: mlflowRun.id });
      await this.client.uploadArtifact(artifactUri, "MLmodel", Buffer.from(description), "text/yaml");
    } catch (error) {
      // Left PENDING it would look like an upload in progress forever.
      await this.client.finalizeLoggedModel(modelId, false).catch(() => undefined);
      throw error;
    }
    await this.client.finalizeLoggedModel(modelId, true);
    await this.client.logOutputs(mlflowRun.id, [modelId]);
    const created = await this.client.createModelVersion({
      name,
      source: `models:/${modelId}`,
      runId: mlflowRun.id,
      modelId,
      tags: model.tags,
    });
    return { version: created.version };
  }

  async findVersion(name: string, tags: Record<string, string>): Promise<RegisteredVersion | null> {
    const filter = [
      `name = ${searchLiteral(name)}`,
      ...Object.entries(tags).map(([k, v]) => `tags.\`${k}\` = ${searchLiteral(v)}`),
    ];
    const versions = await this.client.searchModelVersions(filter.join(" and "));
    const newest = versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
    return newest ? registered(newest) : null;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.client.setAlias(name, alias, version);
  }

  async getAlias(name: string, alias: string): Promise<RegisteredVersion | null> {
    const version = await this.client.getVersionByAlias(name, alias);
    return version ? registered(version) : null;
  }
}

/**
 * The `MLmodel` file MLflow's tooling reads (`mlflow.models.get_model_info`, the version page's
 * schema): flavors, the signature as column-based schema JSON strings, and the logged model's ids.
 */
export function mlmodelFile(
  model: ModelPackage,
  at: { artifactUri: string; modelId: string; runId: string; created?: Date },
): string {
  const schema = (columns: ModelPackage["signature"]["inputs"]) =>
    JSON.stringify(columns.map((c) => ({ type: c.type, name: c.name, required: true })));
  const created = (at.created ?? new Date()).toISOString().replace("T", " ").replace("Z", "");
  const size = model.files.reduce((n, f) => n + f.body.byteLength, 0);
  return stringify({
    artifact_path: at.artifactUri,
    flavors: { [inflowFlavor]: model.flavor },
    model_id: at.modelId,
    model_size_bytes: size,
    model_uuid: at.modelId,
    run_id: at.runId,
    signature: {
      inputs: schema(model.signature.inputs),
      outputs: schema(model.signature.outputs),
      params: null,
    },
    utc_time_created: created,
  });
}

function registered(v: MlflowModelVersion): RegisteredVersion {
  return {
    version: v.version,
    runId: v.run_id ?? "",
    source: v.source,
    tags: Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value])),
  };
}
