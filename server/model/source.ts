import { stat } from "node:fs/promises";
import type { RoutingModel } from "../../src/classify/model.js";
import type { ArtifactStore } from "../../src/store/store.js";
import { championPointerKey, type PromotionRecord } from "../../src/tickets/champion.js";
import { loadRoutingModel } from "../../src/tickets/model-source.js";
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

/**
 * "champion" → the pointer's recorded sha256 (a small JSON read); a store URI → the object's sha256;
 * a local file → its sha256, only recomputed when size, mtime or inode change.
 */
export function createModelSource(source: string, store: ArtifactStore): ModelSource {
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
  const prefix = `${store.uri.replace(/\/$/, "")}/`;
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

async function unavailableOnError<T>(action: () => Promise<T>, what: string): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new SourceUnavailableError(`${what}: ${(error as Error).message}`);
  }
}
