import type { TrackerRun } from "./tracker.js";

/** The name the routing model is registered under; the classify API follows its `champion` alias. */
export const routingModelName = "inflow-ticket-router";
export const championAlias = "champion";

export interface RegisteredVersion {
  version: string;
  runId: string;
  /** Where the registry says the model's files are (the run's artifact path of the model). */
  source: string;
  tags: Record<string, string>;
}

/**
 * A model registry (MLflow's): versions of a named model, each from a tracked run's artifact, and
 * aliases such as `champion` that move between versions.
 */
export interface ModelRegistry {
  readonly backend: string;
  /** Registers the artifact `artifactPath` (already logged to `run`) as a new version of `name`. */
  registerModel(
    run: TrackerRun,
    name: string,
    artifactPath: string,
    tags?: Record<string, string>,
  ): Promise<{ version: string }>;
  /** The newest version of `name` carrying all of `tags`, or null. */
  findVersion(name: string, tags: Record<string, string>): Promise<RegisteredVersion | null>;
  setAlias(name: string, alias: string, version: string): Promise<void>;
  getAlias(name: string, alias: string): Promise<RegisteredVersion | null>;
}
