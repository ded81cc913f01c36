import {
  Publication,
  publishedDates,
  readPartManifests,
  readVerified,
  requireOutput,
} from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { kinds } from "../tickets/dataset.js";
import type { Loaded } from "../tickets/models.js";
import { parseTaxonomy, serializeTaxonomy, type Taxonomy } from "../topics/taxonomy.js";
import type { TaxonomyEdit } from "./taxonomy-edits.js";

/** The audit trail of taxonomy changes made by people: one part per version, each with the full taxonomy. */
export const taxonomyHistoryKind = "tickets/taxonomy-history";

export interface HistoryEntry {
  version: number;
  previousVersion: number;
  reviewer: string;
  at: string;
  /** "baseline": the version the pipeline published, recorded when people first change it. */
  edit:
    | Exclude<TaxonomyEdit, { action: "split" }>
    | { action: "split"; topic: number; newTopic: number }
    | { action: "add"; topics: { topic: number; name: string }[] }
    | { action: "baseline" };
}

export interface HistoryVersion extends HistoryEntry {
  date: string;
  taxonomy: Taxonomy;
}

const versionPart = (version: number) => `v${String(version).padStart(6, "0")}`;

/**
 * Publishes `next` as the taxonomy of `date` (what label, train and the API read from then on) and
 * records who changed what in the history. The history part is written first: a crash in between
 * leaves a recorded version that was never in force, never a version in force without its record.
 * Without `previous` (a baseline: the pipeline's version, already in force) only the history is written.
 */
export async function publishTaxonomyVersion(
  store: ArtifactStore,
  date: string,
  next: Taxonomy,
  entry: HistoryEntry,
  previous: Loaded<Taxonomy> | null,
): Promise<void> {
  const yaml = serializeTaxonomy(next);
  const runId = `console-${versionPart(next.version)}`;
  const lineage = {
    inputs: previous ? [{ uri: previous.uri, sha256: previous.sha256 }] : [],
    params: { edit: entry.edit },
  };
  const history = new Publication(store, taxonomyHistoryKind, date, runId, versionPart(next.version));
  await history.put("taxonomy.yaml", yaml);
  await history.put("entry.json", `${JSON.stringify(entry, null, 2)}\n`);
  await history.publish(lineage, { version: next.version, reviewer: entry.reviewer });
  if (!previous) return;
  const publication = new Publication(store, kinds.taxonomy, date, runId);
  await publication.put("taxonomy.yaml", yaml);
  await publication.publish(lineage, { version: next.version, reviewer: entry.reviewer });
}

/** Every version people published, oldest first. */
export async function readTaxonomyHistory(store: ArtifactStore): Promise<HistoryVersion[]> {
  const versions: HistoryVersion[] = [];
  for (const date of await publishedDates(store, taxonomyHistoryKind)) {
    for (const manifest of await readPartManifests(store, taxonomyHistoryKind, date)) {
      const read = async (name: string) =>
        (await readVerified(store, requireOutput(manifest, name))).toString("utf8");
      const entry = JSON.parse(await read("entry.json")) as HistoryEntry;
      const yamlKey = requireOutput(manifest, "taxonomy.yaml").key;
      const taxonomy = parseTaxonomy(await read("taxonomy.yaml"), `${store.uri}/${yamlKey}`);
      versions.push({ ...entry, date, taxonomy });
    }
  }
  return versions.sort((a, b) => a.version - b.version);
}
