import type { ModelRegistry, RegisteredVersion } from "../src/tracking/registry.js";
import { findRun, type TrackerRun } from "../src/tracking/tracker.js";
import type { MlflowClient } from "./client.js";
import { MlflowTrackerRun } from "./tracker.js";
import type { MlflowModelVersion } from "./types.js";

/** MLflow's model registry: versions point at a run's artifact, aliases (champion) point at versions. */
export class MlflowModelRegistry implements ModelRegistry {
  readonly backend = "mlflow";

  constructor(private readonly client: MlflowClient) {}

  async registerModel(
    run: TrackerRun,
    name: string,
    artifactPath: string,
    tags: Record<string, string> = {},
  ): Promise<{ version: string }> {
    const mlflowRun = findRun(run, (r): r is MlflowTrackerRun => r instanceof MlflowTrackerRun);
    if (!mlflowRun) throw new Error(`run ${run.id} is not tracked in MLflow: the model cannot be registered`);
    await this.client.ensureRegisteredModel(
      name,
      "Inflow's ticket routing model (TF-IDF + logistic regression)",
    );
    const source = `${mlflowRun.artifactUri.replace(/\/+$/, "")}/${artifactPath.replace(/^\/+/, "")}`;
    const created = await this.client.createModelVersion({ name, source, runId: mlflowRun.id, tags });
    return { version: created.version };
  }

  async findVersion(name: string, tags: Record<string, string>): Promise<RegisteredVersion | null> {
    const filter = [
      `name = ${quote(name)}`,
      ...Object.entries(tags).map(([k, v]) => `tags.\`${k}\` = ${quote(v)}`),
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

function registered(v: MlflowModelVersion): RegisteredVersion {
  return {
    version: v.version,
    runId: v.run_id ?? "",
    source: v.source,
    tags: Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value])),
  };
}

/** A string literal of MLflow's search grammar. */
function quote(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
