import type { ArtifactStore, StoredObject } from "../store/store.js";
import { daysBefore } from "../util/dates.js";
import { InputError } from "../util/errors.js";
import { sha256File } from "../util/hash.js";

/** Raw input layout: `tickets/date=YYYY-MM-DD/<file>`, written once and never modified. */
export function rawKey(date: string, name: string): string {
  return `tickets/date=${date}/${name}`;
}

export interface RawFile {
  key: string;
  date: string;
  sha256: string;
}

/** The raw files of the `windowDays` days before `date`, in a stable order (shards split this list). */
export async function listRawFiles(
  rawStore: ArtifactStore,
  date: string,
  windowDays: number,
): Promise<RawFile[]> {
  const files: RawFile[] = [];
  for (const day of daysBefore(date, windowDays)) {
    for (const key of await rawStore.list(`tickets/date=${day}/`)) {
      files.push({ key, date: day, sha256: (await rawStore.head(key)).sha256 });
    }
  }
  return files;
}

/**
 * Puts a local file into the raw store. Raw input is immutable: the same bytes again is a no-op
 * (so reruns are idempotent), different bytes under an existing key is refused.
 */
export async function putRawImmutable(
  rawStore: ArtifactStore,
  key: string,
  path: string,
): Promise<StoredObject & { skipped: boolean }> {
  const sha = await sha256File(path).catch((error) => {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  });
  if (await rawStore.exists(key)) {
    const existing = await rawStore.head(key);
    if (existing.sha256 !== sha) {
      throw new InputError(
        `${rawStore.uri}/${key} already holds different content; raw input is never overwritten`,
      );
    }
    return { ...existing, skipped: true };
  }
  return { ...(await rawStore.putFile(key, path)), skipped: false };
}
