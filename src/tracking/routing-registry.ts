import { routingModelFormat } from "../classify/model.js";
import type { ArtifactStore, StoredObject } from "../store/store.js";
import { readChampionPointer } from "../tickets/champion.js";
import { InputError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import {
  championAlias,
  type ModelPackage,
  type ModelRegistry,
  type RegisteredVersion,
  routingModelName,
} from "./registry.js";
import type { TrackerRun } from "./tracker.js";

/** Tag of a registered version naming the routing model's own version (`<date>.<run id>`). */
export const modelVersionTag = "inflow.model_version";
/** Tags of a registered version naming the published model in the store and its sha256. */
export const storeUriTag = "inflow.store_uri";
export const sha256Tag = "inflow.sha256";

/** What the routing model takes and gives per ticket, as the classify API answers it (`inflow serve`). */
export const routingSignature: ModelPackage["signature"] = {
  inputs: [{ name: "text", type: "string" }],
  outputs: [
    { name: "topic_id", type: "long" },
    { name: "topic", type: "string" },
    { name: "department", type: "string" },
    { name: "confidence", type: "double" },
    { name: "out_of_scope", type: "double" },
    { name: "needs_review", type: "boolean" },
  ],
};

/**
 * train: registers the published model file as a new version of the routing model, when a model
 * registry is configured, with Inflow's flavor and the signature. The bytes come back from the store,
 * so the registry holds exactly what was published. Returns the registry version, or null without a registry.
 */
export async function registerInModelRegistry(
  registry: ModelRegistry | null,
  run: TrackerRun,
  store: ArtifactStore,
  published: StoredObject,
  model: { version: string; params: Record<string, string | number | boolean> },
): Promise<string | null> {
  if (!registry) return null;
  const body = await store.get(published.key);
  if (sha256(body) !== published.sha256)
    throw new Error(`the published model ${published.key} changed under us`);
  const storeUri = `${store.uri}/${published.key}`;
  const { version } = await registry.registerModel(run, routingModelName, {
    files: [{ name: "model.json", body, contentType: "application/json" }],
    flavor: {
      format: routingModelFormat,
      format_version: 1,
      model_file: "model.json",
      sha256: published.sha256,
    },
    signature: routingSignature,
    params: Object.fromEntries(Object.entries(model.params).map(([k, v]) => [k, String(v)])),
    tags: {
      [modelVersionTag]: model.version,
      [storeUriTag]: storeUri,
      [sha256Tag]: published.sha256,
    },
  });
  return version;
}

/** The registered version of the routing model `modelVersion` (with the train run that logged it), or null. */
export async function registeredVersionOf(
  registry: ModelRegistry | null,
  modelVersion: string,
): Promise<RegisteredVersion | null> {
  return registry ? registry.findVersion(routingModelName, { [modelVersionTag]: modelVersion }) : null;
}

/**
 * evaluate: mirrors the store's champion pointer (the source of truth) into the registry's `champion`
 * alias. Every evaluate does it, promoted or not, after the pointer moved: an alias left behind by a
 * failed step, or a backfill's older promotion (which does not move the pointer), is set right by the
 * next evaluate. Returns the alias's registry version, or null without a registry or a champion.
 */
export async function mirrorChampionPointer(
  registry: ModelRegistry | null,
  store: ArtifactStore,
): Promise<string | null> {
  if (!registry) return null;
  const pointer = await readChampionPointer(store);
  if (!pointer) return null;
  const registered = await registeredVersionOf(registry, pointer.challenger.version);
  if (!registered)
    throw new InputError(
      `the champion ${pointer.challenger.version} is not registered in ${registry.backend}: rerun its train with ${registry.backend} tracking`,
    );
  const current = await registry.getAlias(routingModelName, championAlias);
  if (current?.version !== registered.version)
    await registry.setAlias(routingModelName, championAlias, registered.version);
  return registered.version;
}
