import type { ArtifactStore } from "../store/store.js";
import { daysBefore } from "../util/dates.js";

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
