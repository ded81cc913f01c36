import { stat } from "node:fs/promises";
import { type RoutingModel, readPublishedRoutingModel } from "../../src/classify/model.js";
import type { ArtifactStore } from "../../src/store/store.js";
import { championPointerKey, type PromotionRecord } from "../../src/tickets/champion.js";
import { loadRoutingModel } from "../../src/tickets/model-source.js";
import type { ModelRegistry } from "../../src/tracking/registry.js";
import { sha256Tag, storeUriTag } from "../../src/tracking/routing-registry.js";
import { ConfigError, InputError, isPermanent } from "../../src/util/errors.js";
import { sha256File } from "../../src/util/hash.js";

/** A model source the server can poll: a cheap identity of the current version, and the full load. */
export interface ModelSource {
  readonly description: string;
  /** Changes whenever the model behind the source changes (a sha256 where the source has one). */
  fingerprint(): Promise<string>;
  load(): Promise<{ model: RoutingModel; uri: string }>;
}

/** Thrown when the source cannot be reached or holds nothing yet (retried on every poll). */
export class SourceUnavailableError extends Error {
  override readonly name = "SourceUnavailableError";
}

/** Whether a model source is read from the store: "champion" and any URI; only a local file path is not. */
export function readsStore(source: string): boolean {
  return source === "champion" || /^[a-z0-9]+:\//.test(source);
}

/**
 * Fails with ConfigError (exit 2) when the model source does not exist: a local model file that is
 * not there, a URI outside the store (nothing reads it), or the store (folder, bucket) a store source
 * reads; a starting server or stream would otherwise poll it forever. A source that exists but holds
 * no model yet (no champion, an object not yet published, an alias with no version) and a store that
 * does not answer now are left to the polling: readiness stays false and each failed check is logged.
 */
export async function requireModelSource(source: string, store: ArtifactStore): Promise<void> {
  if (readsStore(source)) {
    if (source !== "champion" && !registryAliasUri.test(source) && !source.startsWith(storePrefix(store)))
      throw new ConfigError(
        `model URI ${source} is not inside the store ${store.uri}: fix the model source (INFLOW_MODEL, serve's --model) or the store (INFLOW_STORE)`,
      );
    await store.requireExists().catch((error: unknown) => {
      if (isPermanent(error)) throw error;
    });
    return;
  }
  await stat(source).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR")
      throw new ConfigError(
        `model file ${source} does not exist: fix the model source (INFLOW_MODEL, serve's --model)`,
      );
  });
}

/** `models:/<name>@<alias>`: a registered model's alias, as MLflow's clients write it. */
const registryAliasUri = /^models:\/([^/@]+)@([^/@]+)$/;

/**
 * "champion" → the pointer's recorded sha256 (a small JSON read); a store URI → the object's sha256;
 * a local file → its sha256, only recomputed when size, mtime or inode change;
 * `models:/<name>@<alias>` → the registered version the alias names (needs the model registry).
 */
export function createModelSource(
  source: string,
  store: ArtifactStore,
  registry: ModelRegistry | null = null,
): ModelSource {
  const alias = registryAliasUri.exec(source);
  if (alias) {
    if (!registry)
      throw new ConfigError(
        `model source ${source} is a registry alias: set INFLOW_TRACKING to include mlflow and MLFLOW_TRACKING_URI`,
      );
    return registryAliasSource(source, alias[1]!, alias[2]!, registry, store);
  }
  const load = () => loadRoutingModel(source, store);
  if (source === "champion") {
    return {
      description: `champion in ${store.uri}`,
      load,
      async fingerprint() {
        const pointer = await unavailableOnError(() => store.get(championPointerKey), "no champion pointer");
        const record = JSON.parse(pointer.toString("utf8")) as PromotionRecord;
        return `sha256:${record.challenger.sha256}`;
      },
    };
  }
  const prefix = storePrefix(store);
  if (source.startsWith(prefix)) {
    const key = source.slice(prefix.length);
    return {
      description: source,
      load,
      fingerprint: async () =>
        `sha256:${(await unavailableOnError(() => store.head(key), "model object missing")).sha256}`,
    };
  }
  let statKey = "";
  let hash = "";
  return {
    description: source,
    load,
    async fingerprint() {
      const info = await unavailableOnError(() => stat(source), "model file missing");
      const key = `${info.size}:${info.mtimeMs}:${info.ino}`;
      if (key !== statKey) {
        hash = await unavailableOnError(() => sha256File(source), "model file unreadable");
        statKey = key;
      }
      return `sha256:${hash}`;
    },
  };
}

/**
 * A registry alias: the version it names carries the store URI and sha256 of the published model
 * (train registers exactly the published bytes), so the model is read from the store and checked
 * against that sha256, as the champion pointer's is.
 */
function registryAliasSource(
  description: string,
  name: string,
  alias: string,
  registry: ModelRegistry,
  store: ArtifactStore,
): ModelSource {
  const current = async () => {
    const version = await unavailableOnError(
      () => registry.getAlias(name, alias),
      `${description} unreachable`,
    );
    const uri = version?.tags[storeUriTag];
    const sha256 = version?.tags[sha256Tag];
    if (!version || !uri || !sha256)
      throw new SourceUnavailableError(
        `${description}: no version with a published model behind the alias yet`,
      );
    return { uri, sha256 };
  };
  return {
    description,
    fingerprint: async () => `sha256:${(await current()).sha256}`,
    async load() {
      const { uri, sha256 } = await current();
      const prefix = storePrefix(store);
      if (!uri.startsWith(prefix))
        throw new InputError(`${description} names ${uri}, which is not inside the store ${store.uri}`);
      const model = await readPublishedRoutingModel(store, { key: uri.slice(prefix.length), sha256 }, uri);
      return { model, uri };
    },
  };
}

/** A store object's URI is this prefix and its key. */
function storePrefix(store: ArtifactStore): string {
  return `${store.uri.replace(/\/$/, "")}/`;
}

async function unavailableOnError<T>(action: () => Promise<T>, what: string): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new SourceUnavailableError(`${what}: ${(error as Error).message}`);
  }
}
