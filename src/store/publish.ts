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

export function partitionPrefix(kind: string, date: string): string {
  return `${kind}/date=${date}/`;
}

function manifestKey(kind: string, date: string, part: string): string {
  return `${partitionPrefix(kind, date)}manifest${part ? `-${part}` : ""}.json`;
}

/** Collects one run's outputs for (kind, date[, part]) and publishes them atomically. */
export class Publication {
  readonly version: string;
  private readonly outputs: StoredObject[] = [];

  constructor(
    private readonly store: ArtifactStore,
    readonly kind: string,
    readonly date: string,
    readonly runId: string,
    readonly part = "",
  ) {
    if (part && !partName.test(part)) throw new Error(`invalid part name "${part}"`);
    this.version = runId.replace(/[^A-Za-z0-9._-]/g, "_");
  }

  /** The key an output named `name` is staged under (inside this run's version folder). */
  key(name: string): string {
    return `${this.versionsPrefix()}${this.version}/${name}`;
  }

  private versionsPrefix(): string {
    return `${partitionPrefix(this.kind, this.date)}${this.part ? `part=${this.part}/` : ""}v=`;
  }

  async put(name: string, body: Uint8Array | string): Promise<StoredObject> {
    return this.add(await this.store.put(this.key(name), body));
  }

  async putFile(name: string, path: string): Promise<StoredObject> {
    return this.add(await this.store.putFile(this.key(name), path));
  }

  private add(object: StoredObject): StoredObject {
    this.outputs.push(object);
    return object;
  }

  /** Writes the manifest (the publish), then removes versions of earlier runs of the same date and part. */
  async publish(lineage: Lineage, stats: Record<string, unknown>): Promise<Manifest> {
    const manifest: Manifest = {
      kind: this.kind,
      date: this.date,
      part: this.part,
      runId: this.runId,
      version: this.version,
      createdAt: new Date().toISOString(),
      outputs: this.outputs,
      ...lineage,
      stats,
    };
    await this.store.put(
      manifestKey(this.kind, this.date, this.part),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    const mine = this.key("");
    for (const key of await this.store.list(this.versionsPrefix())) {
      if (!key.startsWith(mine)) await this.store.delete(key);
    }
    return manifest;
  }
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
