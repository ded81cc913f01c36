import { sha256 } from "../util/hash.js";
import { type Manifest, publishedManifestOf } from "./publish.js";
import type { ArtifactStore } from "./store.js";

/**
 * Which version a model is and when it was published. Recorded where the model is published (its
 * manifest, and the pointers and registry entries that name it), never inside the model's bytes: a
 * rerun that computes the same model then stages the same bytes, and `Publication.publish` keeps the
 * published version instead of adding another.
 */
export interface ModelIdentity {
  version: string;
  /** When the version was published; null for a file outside a store that does not say. */
  createdAt: string | null;
}

/** What model files written before identities moved out of them (and hand-made ones) may still hold. */
export interface RecordedIdentity {
  version?: unknown;
  createdAt?: unknown;
}

/**
 * A published model's identity from its manifest: the version the manifest records (a champion
 * carried into a new taxonomy, `<trained>+taxonomy-v<n>`), else `<date>.<version folder>`.
 */
export function manifestIdentity(manifest: Manifest): ModelIdentity {
  const recorded = manifest.stats.version;
  return {
    version: typeof recorded === "string" ? recorded : `${manifest.date}.${manifest.version}`,
    createdAt: manifest.createdAt,
  };
}

/** The identity of the store object `key` from its version folder's manifest; null outside a published version. */
export async function publishedIdentity(store: ArtifactStore, key: string): Promise<ModelIdentity | null> {
  const manifest = await publishedManifestOf(store, key);
  return manifest && manifestIdentity(manifest);
}

/**
 * A model file read outside a publication: the identity an older or hand-made file records, else
 * one named by the sha256 of its bytes.
 */
export function fileIdentity(recorded: RecordedIdentity, text: string): ModelIdentity {
  return {
    version: typeof recorded.version === "string" ? recorded.version : `sha256:${sha256(text).slice(0, 12)}`,
    createdAt: typeof recorded.createdAt === "string" ? recorded.createdAt : null,
  };
}

/** The model's content without its identity: what is sealed into the file. */
export function withoutIdentity<T extends object>(model: T): Omit<T, keyof ModelIdentity> {
  const { version: _version, createdAt: _createdAt, ...content } = model as T & RecordedIdentity;
  return content;
}
