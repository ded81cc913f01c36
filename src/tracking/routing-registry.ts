import type { ArtifactStore, StoredObject } from "../store/store.js";
import { InputError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { championAlias, type ModelRegistry, routingModelName } from "./registry.js";
import type { TrackerRun } from "./tracker.js";

/** Tag of a registered version naming the routing model's own version (`<date>.<run id>`). */
export const modelVersionTag = "inflow.model_version";

/**
 * train: logs the published model file under `model/` and registers it as a new version of the
 * routing model, when a model registry is configured. The bytes come back from the store, so the
 * registry holds exactly what was published. Returns the registry version, or null without a registry.
 */
export async function registerInModelRegistry(
  registry: ModelRegistry | null,
  run: TrackerRun,
  store: ArtifactStore,
  published: StoredObject,
  modelVersion: string,
): Promise<string | null> {
  if (!registry) return null;
  const body = await store.get(published.key);
  if (sha256(body) !== published.sha256)
    throw new Error(`the published model ${published.key} changed under us`);
  const storeUri = `${store.uri}/${published.key}`;
  await run.logArtifact({ name: "model/model.json", body, contentType: "application/json", storeUri });
  const { version } = await registry.registerModel(run, routingModelName, "model", {
    [modelVersionTag]: modelVersion,
    "inflow.store_uri": storeUri,
    "inflow.sha256": published.sha256,
  });
  return version;
}

/**
 * evaluate: moves the registry's `champion` alias to the promoted model's registered version, after
 * the store's champion pointer moved. Returns the registry version, or null without a registry.
 */
export async function moveRegistryChampion(
  registry: ModelRegistry | null,
  modelVersion: string,
): Promise<string | null> {
  if (!registry) return null;
  const registered = await registry.findVersion(routingModelName, { [modelVersionTag]: modelVersion });
  if (!registered)
    throw new InputError(
      `model ${modelVersion} is not registered in ${registry.backend}: rerun train with ${registry.backend} tracking`,
    );
  await registry.setAlias(routingModelName, championAlias, registered.version);
  return registered.version;
}
