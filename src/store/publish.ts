import { InputError } from "../util/errors.js";
import { sha256, sha256File } from "../util/hash.js";
import type { ArtifactStore, StoredObject } from "./store.js";

/** Where a published output came from: enough to trace and reproduce it. */
export interface Lineage {
  inputs: { uri: string; sha256: string }[];
  params: Record<string, unknown>;
}

/**
 * A manifest is the publication: a dataset or model for (kind, date) exists once its manifest exists.
 * Outputs live under a version folder named after the run; the manifest is written last, so a killed
 * task leaves at most an unreferenced folder, never a half-visible output.
 */
export interface Manifest extends Lineage {
  kind: string;
  date: string;
  part: string;
  runId: string;
  version: string;
  createdAt: string;
  outputs: StoredObject[];
  stats: Record<string, unknown>;
}

const partName = /^[A-Za-z0-9._-]+$/;

/** Written into a version folder when it is published: from then on the folder is never rewritten or pruned. */
const publishedMarker = "published.json";

export function partitionPrefix(kind: string, date: string): string {
  return `${kind}/date=${date}/`;
}

function manifestKey(kind: string, date: string, part: string): string {
  return `${partitionPrefix(kind, date)}manifest${part ? `-${part}` : ""}.json`;
}

// Airflow's run ids: `<run type>__<ISO timestamp in UTC>`, e.g. manual__2026-12-06T11:45:09.845282+00:00.
const airflowRunId = /^([a-z_]+?)__(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:\+00:00|Z)$/;

/**
 * The version folder a run id publishes into. An Airflow run id keeps its type and the second it names
 * (`manual__2026-12-06T114509Z`): readable in a store path, and two runs in the same second still get
 * distinct folders (the second is a rerun, `.2`). Any other id keeps its safe characters, `_` for the rest.
 */
export function versionName(runId: string): string {
  const airflow = airflowRunId.exec(runId);
  if (airflow) {
    const [, type, day, hours, minutes, seconds] = airflow;
    return `${type}__${day}T${hours}${minutes}${seconds}Z`;
  }
  return runId.replace(/[^A-Za-z0-9._-]/g, "_");
}

/**
 * Collects one run's outputs for (kind, date[, part]) and publishes them atomically.
 *
 * Published versions are immutable: pointers (the champion, the model registry) and lineage refer to
 * objects by key, so a rerun must never rewrite or delete what an earlier publish made visible. A
 * rerun under the same run id stages into a fresh version folder (`<run>.2`, `<run>.3`, …); a folder a
 * killed run left unpublished is reused. Publishing prunes only such unpublished leftovers.
 */
export class Publication {
  readonly #base: string;
  #version: Promise<string> | null = null;
  private readonly outputs: StoredObject[] = [];

  constructor(
    private readonly store: ArtifactStore,
    readonly kind: string,
    readonly date: string,
    readonly runId: string,
    readonly part = "",
  ) {
    if (part && !partName.test(part)) throw new Error(`invalid part name "${part}"`);
    this.#base = versionName(runId);
  }

  /** This run's version folder name: the run id, or the run id with the first free rerun number. */
  version(): Promise<string> {
    this.#version ??= this.#firstUnpublishedVersion();
    return this.#version;
  }

  async #firstUnpublishedVersion(): Promise<string> {
    // Stores written before markers existed: the version the manifest names is published too.
    const current = await readManifest(this.store, this.kind, this.date, this.part);
    for (let attempt = 1; ; attempt++) {
      const version = attempt === 1 ? this.#base : `${this.#base}.${attempt}`;
      if (version === current?.version) continue;
      if (!(await this.store.exists(this.#keyIn(version, publishedMarker)))) return version;
    }
  }

  #keyIn(version: string, name: string): string {
    return `${this.versionsPrefix()}${version}/${name}`;
  }

  /** The key an output named `name` is staged under (inside this run's version folder). */
  async key(name: string): Promise<string> {
    return this.#keyIn(await this.version(), name);
  }

  private versionsPrefix(): string {
    return `${partitionPrefix(this.kind, this.date)}${this.part ? `part=${this.part}/` : ""}v=`;
  }

  async put(name: string, body: Uint8Array | string): Promise<StoredObject> {
    return this.add(await this.store.put(await this.key(name), body));
  }

  async putFile(name: string, path: string): Promise<StoredObject> {
    return this.add(await this.store.putFile(await this.key(name), path));
  }

  private add(object: StoredObject): StoredObject {
    this.outputs.push(object);
    return object;
  }

  /**
   * Marks the version published, then writes the manifest (the publish), then removes unpublished
   * leftovers of killed runs. When the outputs are byte for byte those already published for this
   * (kind, date, part), nothing changes: the staged copy (and any killed run's leftovers) is dropped and
   * the published manifest returned.
   * `eraseEarlier` also deletes earlier published versions: only for outputs nothing points to that
   * must not outlive their replacement (a chat history scrubbed of message texts).
   */
  async publish(
    lineage: Lineage,
    stats: Record<string, unknown>,
    { eraseEarlier = false }: { eraseEarlier?: boolean } = {},
  ): Promise<Manifest> {
    const version = await this.version();
    const current = await readManifest(this.store, this.kind, this.date, this.part);
    if (current && this.#sameOutputs(current)) {
      await this.#prune([current.version], false);
      return current;
    }
    const manifest: Manifest = {
      kind: this.kind,
      date: this.date,
      part: this.part,
      runId: this.runId,
      version,
      createdAt: new Date().toISOString(),
      outputs: this.outputs,
      ...lineage,
      stats,
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    // Marker first: a run killed between the two writes leaves a published but unreferenced version.
    await this.store.put(this.#keyIn(version, publishedMarker), text);
    await this.store.put(manifestKey(this.kind, this.date, this.part), text);
    await this.#prune(eraseEarlier ? [version] : [version, current?.version], eraseEarlier);
    return manifest;
  }

  /** Same output names (inside their version folders) with the same bytes. */
  #sameOutputs(manifest: Manifest): boolean {
    const prefix = this.versionsPrefix();
    const names = (objects: StoredObject[]) =>
      objects.map((o) => `${o.key.slice(o.key.indexOf("/", prefix.length))} ${o.sha256}`).sort();
    return JSON.stringify(names(manifest.outputs)) === JSON.stringify(names(this.outputs));
  }

  async #prune(keep: (string | undefined)[], published: boolean): Promise<void> {
    const prefix = this.versionsPrefix();
    const byVersion = new Map<string, string[]>();
    for (const key of await this.store.list(prefix)) {
      const version = key.slice(prefix.length, key.indexOf("/", prefix.length));
      byVersion.set(version, [...(byVersion.get(version) ?? []), key]);
    }
    for (const [version, keys] of byVersion) {
      if (keep.includes(version)) continue;
      if (!published && keys.some((k) => k.endsWith(`/${publishedMarker}`))) continue;
      for (const key of keys) await this.store.delete(key);
    }
  }
}

/** What a sha256 mismatch says: whose record the bytes differ from, and what to do about it. */
export interface RecordedBy {
  /** e.g. "the published": "differs from the published <sha256>". */
  record: string;
  /** e.g. "modified after publication". */
  change: string;
  remedy: string;
}

const publication: RecordedBy = {
  record: "the published",
  change: "modified after publication",
  remedy: "restore the original or publish a new version",
};

/**
 * The bytes of a published output, checked against the sha256 its manifest (or a pointer) records: an
 * object changed after publication is refused, never read as if it were the published one.
 */
export async function readVerified(
  store: ArtifactStore,
  object: Pick<StoredObject, "key" | "sha256">,
): Promise<Buffer> {
  const body = await store.get(object.key);
  checkRecordedSha256(store, object, sha256(body), publication);
  return body;
}

/**
 * Same check for a local copy being streamed (a file the size of a dataset is hashed, never loaded);
 * `recordedBy` names another record than a publication (e.g. the raw files a step read).
 */
export async function localCopyVerified(
  store: ArtifactStore,
  object: Pick<StoredObject, "key" | "sha256">,
  recordedBy: RecordedBy = publication,
): Promise<{ path: string; release(): Promise<void> }> {
  const copy = await store.localCopy(object.key);
  try {
    checkRecordedSha256(store, object, await sha256File(copy.path), recordedBy);
  } catch (error) {
    await copy.release();
    throw error;
  }
  return copy;
}

function checkRecordedSha256(
  store: ArtifactStore,
  object: Pick<StoredObject, "key" | "sha256">,
  actual: string,
  recordedBy: RecordedBy,
): void {
  if (actual !== object.sha256) {
    throw new InputError(
      `${store.uri}/${object.key}: sha256 ${actual} differs from ${recordedBy.record} ${object.sha256} (${recordedBy.change}); ${recordedBy.remedy}`,
    );
  }
}

/**
 * The published record of an object, from the manifest kept in its version folder: what a load by
 * key checks the bytes against. Null when the key is not inside a published version.
 */
export async function publishedObject(store: ArtifactStore, key: string): Promise<StoredObject | null> {
  const manifest = await publishedManifestOf(store, key);
  return manifest?.outputs.find((o) => o.key === key) ?? null;
}

/** The manifest kept in the version folder holding `key`; null when the key is not inside a published version. */
export async function publishedManifestOf(store: ArtifactStore, key: string): Promise<Manifest | null> {
  const folder = /^(.*\/v=[^/]+\/)/.exec(key)?.[1];
  if (!folder || !(await store.exists(`${folder}${publishedMarker}`))) return null;
  return JSON.parse((await store.get(`${folder}${publishedMarker}`)).toString("utf8")) as Manifest;
}

/** A manifest's outputs named `name` (their file name in the version folder). */
export function outputsNamed(manifest: Manifest, name: string): StoredObject[] {
  return manifest.outputs.filter((o) => o.key.endsWith(`/${name}`));
}

/** A manifest's output named `name`, or null when absent. */
export function findOutput(manifest: Manifest | null | undefined, name: string): StoredObject | null {
  return manifest?.outputs.find((o) => o.key.endsWith(`/${name}`)) ?? null;
}

/** Same, or an InputError naming the publication that lacks it. */
export function requireOutput(manifest: Manifest, name: string): StoredObject {
  const output = findOutput(manifest, name);
  if (output) return output;
  const part = manifest.part ? ` ${manifest.part}` : "";
  throw new InputError(`${manifest.kind} ${manifest.date}${part} has no ${name}`);
}

/** Every output named `name` of the manifests, as lineage inputs (URI and sha256). */
export function outputInputs(
  storeUri: string,
  manifests: readonly Manifest[],
  name: string,
): Lineage["inputs"] {
  return manifests.flatMap((m) =>
    outputsNamed(m, name).map((o) => ({ uri: `${storeUri}/${o.key}`, sha256: o.sha256 })),
  );
}

export async function readManifest(
  store: ArtifactStore,
  kind: string,
  date: string,
  part = "",
): Promise<Manifest | null> {
  const key = manifestKey(kind, date, part);
  if (!(await store.exists(key))) return null;
  return JSON.parse((await store.get(key)).toString("utf8")) as Manifest;
}

/** All manifests of one partition (one per part), sorted by part name. */
export async function readPartManifests(
  store: ArtifactStore,
  kind: string,
  date: string,
): Promise<Manifest[]> {
  const prefix = partitionPrefix(kind, date);
  const keys = (await store.list(`${prefix}manifest`)).filter((k) => !k.slice(prefix.length).includes("/"));
  const manifests = await Promise.all(
    keys.map(async (k) => JSON.parse((await store.get(k)).toString("utf8"))),
  );
  return (manifests as Manifest[]).sort((a, b) => a.part.localeCompare(b.part));
}

/** Dates that have a published (kind) partition, ascending. */
export async function publishedDates(store: ArtifactStore, kind: string): Promise<string[]> {
  const dates = new Set<string>();
  for (const key of await store.list(`${kind}/date=`)) {
    const match = /\/date=(\d{4}-\d{2}-\d{2})\/manifest[^/]*\.json$/.exec(key);
    if (match) dates.add(match[1]!);
  }
  return [...dates].sort();
}

/** The newest published date ≤ `date` (or < when `strict`): what a run for `date` may use without leaking the future. */
export async function latestPublishedDate(
  store: ArtifactStore,
  kind: string,
  date: string,
  strict: boolean,
): Promise<string | null> {
  const dates = (await publishedDates(store, kind)).filter((d) => (strict ? d < date : d <= date));
  return dates.at(-1) ?? null;
}
