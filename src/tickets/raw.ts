import type { ArtifactStore, StoredObject } from "../store/store.js";
import { daysBefore } from "../util/dates.js";
import { InputError } from "../util/errors.js";
import { sha256File } from "../util/hash.js";
import type { IngestCheck, RawReading } from "./ingest-check.js";

/** Raw input layout: `tickets/date=YYYY-MM-DD/<file>`, written once and never modified. */
export function rawKey(date: string, name: string): string {
  return `tickets/date=${date}/${name}`;
}

export interface RawFile {
  key: string;
  date: string;
  sha256: string;
  /** How ingest checked the file (null for files stored without ingest, e.g. by generate). */
  reading: RawReading | null;
}

/**
 * Records about a raw file, next to (never inside) the raw partitions: how ingest read it, and its
 * retraction. Each is written once; the raw file itself is never modified or deleted.
 */
export interface IngestRecord {
  key: string;
  sha256: string;
  reading: RawReading;
  check: IngestCheck;
  runId: string;
}

export interface RetractionRecord {
  key: string;
  sha256: string;
  reason: string;
  runId: string;
  retractedAt: string;
}

function recordKey(kind: "ingested" | "retracted", key: string): string {
  return `tickets-records/${kind}/${key}.json`;
}

async function readRecord<T>(rawStore: ArtifactStore, key: string): Promise<T | null> {
  if (!(await rawStore.exists(key))) return null;
  return JSON.parse((await rawStore.get(key)).toString("utf8")) as T;
}

/** How ingest read a stored raw file, or null for files stored without ingest. */
export async function ingestReading(rawStore: ArtifactStore, key: string): Promise<RawReading | null> {
  return (await readRecord<IngestRecord>(rawStore, recordKey("ingested", key)))?.reading ?? null;
}

export async function writeIngestRecord(rawStore: ArtifactStore, record: IngestRecord): Promise<void> {
  await rawStore.put(recordKey("ingested", record.key), `${JSON.stringify(record, null, 2)}\n`);
}

/** Retracts a stored raw file: later runs leave it out. Retracting again keeps the first record. */
export async function retractRawFile(
  rawStore: ArtifactStore,
  key: string,
  reason: string,
  runId: string,
): Promise<{ record: RetractionRecord; already: boolean }> {
  if (!reason.trim()) throw new InputError("--retract needs a --reason (kept with the retraction)");
  if (!(await rawStore.exists(key)))
    throw new InputError(`${rawStore.uri}/${key} is not stored: nothing to retract`);
  const existing = await readRecord<RetractionRecord>(rawStore, recordKey("retracted", key));
  if (existing) return { record: existing, already: true };
  const record: RetractionRecord = {
    key,
    sha256: (await rawStore.head(key)).sha256,
    reason: reason.trim(),
    runId,
    retractedAt: new Date().toISOString(),
  };
  await rawStore.put(recordKey("retracted", key), `${JSON.stringify(record, null, 2)}\n`);
  return { record, already: false };
}

/**
 * The raw files of the `windowDays` days before `date`, in a stable order (shards split this list),
 * and the retracted ones left out.
 */
export async function listRawFiles(
  rawStore: ArtifactStore,
  date: string,
  windowDays: number,
): Promise<{ files: RawFile[]; retracted: RetractionRecord[] }> {
  const files: RawFile[] = [];
  const retracted: RetractionRecord[] = [];
  for (const day of daysBefore(date, windowDays)) {
    for (const key of await rawStore.list(`tickets/date=${day}/`)) {
      const retraction = await readRecord<RetractionRecord>(rawStore, recordKey("retracted", key));
      if (retraction) {
        retracted.push(retraction);
        continue;
      }
      const ingest = await readRecord<IngestRecord>(rawStore, recordKey("ingested", key));
      const { sha256 } = await rawStore.head(key);
      // Raw input is never modified: bytes other than those ingest checked are refused, not read.
      if (ingest && ingest.sha256 !== sha256)
        throw new InputError(
          `${rawStore.uri}/${key} changed after ingest (sha256 ${sha256}, ingested ${ingest.sha256}); restore the ingested file, or retract it with \`inflow tickets ingest --retract\``,
        );
      files.push({ key, date: day, sha256, reading: ingest?.reading ?? null });
    }
  }
  return { files, retracted };
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
