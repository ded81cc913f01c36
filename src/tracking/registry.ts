import type { TrackerRun } from "./tracker.js";

/** The name the routing model is registered under; the classify API follows its `champion` alias. */
export const routingModelName = "inflow-ticket-router";
export const championAlias = "champion";

export interface RegisteredVersion {
  version: string;
  runId: string;
  /** Where the registry says the model's files are (MLflow 3: `models:/<model id>`). */
  source: string;
  tags: Record<string, string>;
}

/** A column of a model's signature, in MLflow's schema types. */
export interface SignatureColumn {
  name: string;
  type: "string" | "long" | "double" | "boolean";
}

/** What a registry needs to store a model version that its own tooling can load and describe. */
export interface ModelPackage {
  /** The model's files, stored next to its description (e.g. `model.json`). */
  files: { name: string; body: Uint8Array; contentType: string }[];
  /** Inflow's flavor: the format and how to load the files (MLmodel's `flavors.inflow`). */
  flavor: Record<string, string | number>;
  /** One row in (a ticket's text), one row out (its route): MLflow's model signature. */
  signature: { inputs: SignatureColumn[]; outputs: SignatureColumn[] };
  params: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * A model registry (MLflow's): versions of a named model, each from a tracked run's artifact, and
 * aliases such as `champion` that move between versions.
 */
export interface ModelRegistry {
  readonly backend: string;
  /** Stores the model as an output of `run` and registers it as a new version of `name`, with the package's tags. */
  registerModel(run: TrackerRun, name: string, model: ModelPackage): Promise<{ version: string }>;
  /** The newest version of `name` carrying all of `tags`, or null. */
  findVersion(name: string, tags: Record<string, string>): Promise<RegisteredVersion | null>;
  setAlias(name: string, alias: string, version: string): Promise<void>;
  getAlias(name: string, alias: string): Promise<RegisteredVersion | null>;
}
