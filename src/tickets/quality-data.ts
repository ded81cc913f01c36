import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { stratifiedSplit } from "../classify/split.js";

/** A real labelled corpus: the text feeds the pipeline, the group is the truth kept aside from it. */
export interface LabelledCorpus {
  readonly name: string;
  readonly texts: string[];
  /** Row's true group, an index into `groups`. */
  readonly truth: Int32Array;
  /** Group names, sorted. */
  readonly groups: string[];
}

export type PanelCorpus = "it" | "cfpb" | "banking77" | "clinc150";

/**
 * A corpus of the development panel. Every corpus is read the same way: no corpus gets options of its
 * own, since Inflow's defaults must hold on corpora nobody tuned them for.
 */
export interface RealDataset {
  readonly name: PanelCorpus;
  /** Relative to the data folder. */
  readonly file: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  /** Rows with this label belong to no class (clinc150's out-of-scope queries): left out of the panel. */
  readonly outOfScope?: string;
  /** The seed's method measured in scikit-learn, told the true k (NMI, majority-mapped accuracy and macro-F1). */
  readonly sklearnSeed?: { readonly nmi: number; readonly accuracy: number; readonly macroF1: number };
}

export const realDatasets: Record<PanelCorpus, RealDataset> = {
  it: {
    name: "it",
    file: "it-service-tickets/tickets.csv.gz",
    textColumn: "Document",
    labelColumn: "Topic_group",
    sklearnSeed: { nmi: 0.22, accuracy: 0.42, macroF1: 0.32 },
  },
  cfpb: {
    name: "cfpb",
    file: "cfpb-narratives-sample/complaints.csv.gz",
    textColumn: "Consumer_complaint",
    labelColumn: "Product",
  },
  banking77: {
    name: "banking77",
    file: "banking77/queries.csv.gz",
    textColumn: "text",
    labelColumn: "intent",
    sklearnSeed: { nmi: 0.498, accuracy: 0.306, macroF1: 0.262 },
  },
  clinc150: {
    name: "clinc150",
    file: "clinc150/queries.csv.gz",
    textColumn: "text",
    labelColumn: "intent",
    outOfScope: "oos",
    sklearnSeed: { nmi: 0.639, accuracy: 0.449, macroF1: 0.402 },
  },
};

/** The panel in the order it is reported. */
export const panelCorpora: readonly PanelCorpus[] = ["cfpb", "banking77", "clinc150", "it"];

/** Reads a gzipped CSV corpus; rows without text or label, or out of scope, are skipped. */
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
    if (!text || !label || label === dataset.outOfScope) continue;
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
