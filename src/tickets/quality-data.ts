import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { stratifiedSplit } from "../classify/split.js";
import type { PreprocessOptions } from "../text/preprocess.js";

/** A real labelled corpus: the text feeds the pipeline, the group is the truth kept aside from it. */
export interface LabelledCorpus {
  readonly name: string;
  readonly texts: string[];
  /** Row's true group, an index into `groups`. */
  readonly truth: Int32Array;
  /** Group names, sorted. */
  readonly groups: string[];
}

export interface RealDataset {
  readonly name: "it" | "cfpb";
  /** Relative to the shared data folder. */
  readonly file: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  /** What preprocessing needs beyond the pipeline's options to read this corpus fairly. */
  readonly preprocess: Partial<PreprocessOptions>;
}

export const realDatasets: Record<RealDataset["name"], RealDataset> = {
  it: {
    name: "it",
    file: "it-service-tickets/tickets.csv.gz",
    textColumn: "Document",
    labelColumn: "Topic_group",
    preprocess: {},
  },
  cfpb: {
    name: "cfpb",
    file: "cfpb-narratives-sample/complaints.csv.gz",
    textColumn: "Consumer_complaint",
    labelColumn: "Product",
    // The sample went through a crude lemmatizer before publication: "was" → "wa", "has" → "ha".
    preprocess: { extraStopWords: ["wa", "ha"] },
  },
};

/** Reads a gzipped CSV corpus; rows without text or label are skipped. */
export function readLabelledCorpus(dataDir: string, dataset: RealDataset): LabelledCorpus {
  const rows = parse(gunzipSync(readFileSync(join(dataDir, dataset.file))), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string | undefined>[];
  const texts: string[] = [];
  const labels: string[] = [];
  for (const row of rows) {
    const text = row[dataset.textColumn];
    const label = row[dataset.labelColumn];
    if (!text || !label) continue;
    texts.push(text);
    labels.push(label);
  }
  const groups = [...new Set(labels)].sort();
  const index = new Map(groups.map((g, k) => [g, k]));
  return { name: dataset.name, texts, truth: Int32Array.from(labels, (l) => index.get(l)!), groups };
}

/**
 * Rows kept per group so that the sample holds about `rows` rows in the corpus's proportions
 * (largest remainders), chosen by a seeded shuffle within each group; returned in corpus order.
 */
export function stratifiedSample(truth: Int32Array, rows: number, seed: number): Int32Array {
  if (rows >= truth.length) return Int32Array.from(truth, (_, i) => i);
  // A stratified split's test part is exactly a stratified sample of the wanted size.
  return stratifiedSplit(truth, rows / truth.length, seed).test;
}

/** The corpus restricted to the given rows (ascending). */
export function subsetCorpus(corpus: LabelledCorpus, rows: Int32Array): LabelledCorpus {
  return {
    name: corpus.name,
    texts: Array.from(rows, (i) => corpus.texts[i]!),
    truth: Int32Array.from(rows, (i) => corpus.truth[i]!),
    groups: corpus.groups,
  };
}
