import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localCopyVerified, type Manifest, outputsNamed, readPartManifests } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { InputError } from "../util/errors.js";
import { readJsonl } from "../util/jsonl.js";

/** Dataset kinds in the derived store, one partition per logical date. */
export const kinds = {
  preprocessed: "tickets/preprocessed",
  labelled: "tickets/labelled",
  topicModel: "tickets/topic-model",
  taxonomy: "tickets/taxonomy",
  classifier: "tickets/classifier",
  evaluation: "tickets/evaluation",
  promotion: "tickets/promotion",
  /** The champion's weights answering through a newer taxonomy (src/tickets/carry-taxonomy.ts). */
  championTaxonomy: "tickets/champion-taxonomy",
  novelty: "tickets/novelty",
  topicDecisions: "tickets/topic-decisions",
} as const;

/** A ticket after preprocessing: no text, only the tokens the models use. */
export interface PreprocessedTicket {
  id: string;
  tokens: string[];
  source: string;
  position: number;
  fields: Record<string, string>;
  /** Present (true) when the text was longer than INFLOW_MAX_TEXT_CHARS and only its start was read. */
  truncated?: true;
}

export interface RejectedTicket {
  id?: string;
  source: string;
  position: number;
  reason: string;
}

/** A ticket with its topic (-1 when no topic is confident enough). */
export interface LabelledTicket {
  id: string;
  tokens: string[];
  topic: number;
  confidence: number;
}

export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-"));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The step that publishes a sharded kind, named when a later step finds none. */
const producedBy: Partial<Record<string, string>> = {
  [kinds.preprocessed]: "preprocess",
  [kinds.labelled]: "label",
};

/**
 * The manifests of a sharded partition, checked to be a complete set: parts "shard-i-of-n" for every
 * i < n (or one unsharded manifest). A partition with missing shards is not ready to be read.
 */
export async function completeShards(store: ArtifactStore, kind: string, date: string): Promise<Manifest[]> {
  const manifests = await readPartManifests(store, kind, date);
  if (manifests.length === 0) {
    const step = producedBy[kind];
    throw new InputError(
      `no ${kind} partition published for ${date}${step ? `: run \`inflow tickets ${step} --date ${date}\` first` : ""}`,
    );
  }
  const totals = new Set(manifests.map((m) => /^shard-\d+-of-(\d+)$/.exec(m.part)?.[1] ?? "1"));
  const total = Number([...totals][0]);
  if (totals.size !== 1 || manifests.length !== total) {
    throw new InputError(
      `${kind} for ${date} is incomplete: found parts [${manifests.map((m) => m.part || "(whole)").join(", ")}]`,
    );
  }
  return manifests;
}

/** Streams the rows of every output named `name` in the given manifests. */
export async function* readOutputs<T>(
  store: ArtifactStore,
  manifests: Manifest[],
  name: string,
): AsyncGenerator<T> {
  for (const manifest of manifests) {
    for (const output of outputsNamed(manifest, name)) {
      const copy = await localCopyVerified(store, output);
      try {
        yield* readJsonl<T>(copy.path);
      } finally {
        await copy.release();
      }
    }
  }
}

export async function readAll<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}
