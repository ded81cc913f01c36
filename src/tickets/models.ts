import { addWordCounts } from "../classify/model-lexicon.js";
import { manifestIdentity } from "../store/model-identity.js";
import {
  findOutput,
  type Lineage,
  latestPublishedDate,
  type Manifest,
  outputInputs,
  readManifest,
  readPartManifests,
  readVerified,
  requireOutput,
} from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { defaultPreprocessOptions, type PreprocessOptions } from "../text/preprocess.js";
import { openTopicModel, type TopicModel } from "../topics/artifact.js";
import { parseTaxonomy, type Taxonomy } from "../topics/taxonomy.js";
import type { TrackedDataset } from "../tracking/tracker.js";
import { sha256 } from "../util/hash.js";
import {
  completeShards,
  kinds,
  type LabelledTicket,
  type PreprocessedTicket,
  readAll,
  readOutputs,
} from "./dataset.js";
import type { TicketSourceOptions } from "./sources/types.js";

/** Reading what earlier steps published, as of a logical date (never anything newer). */

async function outputText(
  store: ArtifactStore,
  manifest: Manifest,
  name: string,
): Promise<{ text: string; uri: string; sha256: string }> {
  const output = requireOutput(manifest, name);
  return {
    text: (await readVerified(store, output)).toString("utf8"),
    uri: `${store.uri}/${output.key}`,
    sha256: output.sha256,
  };
}

export interface Loaded<T> {
  value: T;
  date: string;
  uri: string;
  sha256: string;
}

/** The newest topic model published on or before `date` (strictly before when `strict`). */
export async function topicModelAsOf(
  store: ArtifactStore,
  date: string,
  strict: boolean,
): Promise<Loaded<TopicModel> | null> {
  const found = await latestPublishedDate(store, kinds.topicModel, date, strict);
  if (!found) return null;
  const manifest = (await readManifest(store, kinds.topicModel, found))!;
  const file = await outputText(store, manifest, "topic-model.json");
  return {
    value: openTopicModel(file.text, file.uri, manifestIdentity(manifest)),
    date: found,
    uri: file.uri,
    sha256: file.sha256,
  };
}

export async function taxonomyAsOf(
  store: ArtifactStore,
  date: string,
  strict: boolean,
): Promise<Loaded<Taxonomy> | null> {
  const found = await latestPublishedDate(store, kinds.taxonomy, date, strict);
  if (!found) return null;
  const file = await outputText(store, (await readManifest(store, kinds.taxonomy, found))!, "taxonomy.yaml");
  return { value: parseTaxonomy(file.text, file.uri), date: found, uri: file.uri, sha256: file.sha256 };
}

/** The preprocessed tickets of a date (every shard), with lineage and one hash identifying the data. */
export async function preprocessedTickets(store: ArtifactStore, date: string) {
  const partition = await preprocessedPartition(store, date);
  const tickets = await readAll(readOutputs<PreprocessedTicket>(store, partition.manifests, "tickets.jsonl"));
  return { ...partition, tickets };
}

/**
 * How a preprocessed partition read its raw files: what a ticket's text is read back with (see
 * raw-text.ts), so that the text shown is the one that was preprocessed.
 */
export interface PreprocessReading {
  /** The preprocessed partition's logical date (its raw files are of the days before it). */
  date: string;
  /** The reading flags preprocess was given; each file's ingest reading fills in the rest. */
  source: Partial<TicketSourceOptions>;
  /** Every raw file its shards read, with the sha256 of the bytes read (the manifests' lineage). */
  rawFiles: Lineage["inputs"];
}

/** The preprocessed partition of a date (every shard, complete) without reading its tickets. */
export async function preprocessedPartition(store: ArtifactStore, date: string) {
  const manifests = await completeShards(store, kinds.preprocessed, date);
  const inputs = outputInputs(store.uri, manifests, "tickets.jsonl");
  // Every shard ran with the same preprocessing; the model must apply the same to new text.
  const params = manifests[0]!.params as Partial<PreprocessOptions>;
  const preprocessing: PreprocessOptions = {
    keepPos: params.keepPos ?? defaultPreprocessOptions.keepPos,
    lemmatize: params.lemmatize ?? defaultPreprocessOptions.lemmatize,
    minTokenLength: params.minTokenLength ?? defaultPreprocessOptions.minTokenLength,
    extraStopWords: params.extraStopWords ?? defaultPreprocessOptions.extraStopWords,
    maxTextChars: params.maxTextChars ?? defaultPreprocessOptions.maxTextChars,
    maxTokenChars: params.maxTokenChars ?? defaultPreprocessOptions.maxTokenChars,
  };
  // Partitions published before the read options were recorded were read with the defaults.
  const source = (manifests[0]!.params.source as Partial<TicketSourceOptions> | undefined) ?? {
    format: "auto",
  };
  const reading: PreprocessReading = {
    date,
    source,
    rawFiles: manifests.flatMap((m) => m.inputs),
  };
  return {
    manifests,
    inputs,
    preprocessing,
    reading,
    dataSha256: sha256(inputs.map((i) => i.sha256).join("\n")),
  };
}

/**
 * How many of a date's preprocessed tickets hold each prepared word (every shard summed), what the
 * model trained on them ships the serving lexicon of; null when a shard was published before
 * preprocess counted words.
 */
export async function preprocessedWordCounts(
  store: ArtifactStore,
  date: string,
): Promise<Map<string, number> | null> {
  const counts = new Map<string, number>();
  for (const manifest of await completeShards(store, kinds.preprocessed, date)) {
    const output = findOutput(manifest, "words.json");
    if (!output) return null;
    addWordCounts((await readVerified(store, output)).toString("utf8"), counts, `${store.uri}/${output.key}`);
  }
  return counts;
}

/**
 * The labelled tickets of a date, null when none are published: one whole part (label, relabel) or one
 * part per shard (assign pods), checked complete. `sha256` identifies the data: the one file's hash, or
 * the hash of the parts' hashes.
 */
export async function labelledTickets(store: ArtifactStore, date: string) {
  if ((await readPartManifests(store, kinds.labelled, date)).length === 0) return null;
  const manifests = await completeShards(store, kinds.labelled, date);
  const tickets = await readAll(readOutputs<LabelledTicket>(store, manifests, "tickets.jsonl"));
  const inputs = outputInputs(store.uri, manifests, "tickets.jsonl");
  const dataSha256 = inputs.length === 1 ? inputs[0]!.sha256 : sha256(inputs.map((i) => i.sha256).join("\n"));
  return { tickets, inputs, sha256: dataSha256 };
}

/** The labelled partition as tracked inputs: one dataset per part, its rows when there is one part. */
export function labelledInputs(
  date: string,
  inputs: { uri: string; sha256: string }[],
  context: TrackedDataset["context"],
  rows: number,
): TrackedDataset[] {
  return inputs.map((input, i) => ({
    name: `tickets/labelled date=${date}${inputs.length > 1 ? ` part ${i + 1} of ${inputs.length}` : ""}`,
    ...input,
    context,
    ...(inputs.length === 1 ? { rows } : {}),
  }));
}
