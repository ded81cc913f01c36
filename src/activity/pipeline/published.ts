/** Reading the outputs of an earlier step's publication. */
import { type Manifest, readManifest, readVerified, requireOutput } from "../../store/publish.js";
import type { ArtifactStore } from "../../store/store.js";
import { InputError } from "../../util/errors.js";
import { assertSameZone, type SeriesRecord } from "./series-record.js";

export interface PublishedFile {
  body: Buffer;
  uri: string;
  sha256: string;
  manifest: Manifest;
}

/** The output `name` of the (kind, date) publication, or null when nothing is published. */
export async function readPublished(
  store: ArtifactStore,
  kind: string,
  date: string,
  name: string,
): Promise<PublishedFile | null> {
  const manifest = await readManifest(store, kind, date);
  if (!manifest) return null;
  const output = requireOutput(manifest, name);
  return {
    body: await readVerified(store, output),
    uri: `${store.uri}/${output.key}`,
    sha256: output.sha256,
    manifest,
  };
}

/** Same, failing with an InputError that says which step to run. */
export async function requirePublished(
  store: ArtifactStore,
  kind: string,
  date: string,
  name: string,
  step: string,
  pipeline: "activity" | "tickets" = "activity",
): Promise<PublishedFile> {
  const found = await readPublished(store, kind, date, name);
  if (!found) {
    throw new InputError(
      `nothing published at ${kind}/date=${date}: run \`inflow ${pipeline} ${step} --date ${date}\` first`,
    );
  }
  return found;
}

/** The parsed JSON of a published file. */
export function parsePublished<T>(file: PublishedFile): T {
  return JSON.parse(file.body.toString("utf8")) as T;
}

/** The hourly series `aggregate` published for `date`, checked to be in `zone`; the file is kept for lineage. */
export async function requirePublishedSeries(
  store: ArtifactStore,
  kind: string,
  date: string,
  zone: string,
): Promise<{ file: PublishedFile; record: SeriesRecord }> {
  const file = await requirePublished(store, kind, date, "series.json", "aggregate");
  const record = parsePublished<SeriesRecord>(file);
  assertSameZone(record, zone, `the series of ${date}`);
  return { file, record };
}
