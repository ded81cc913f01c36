import type { Csr } from "./csr.js";
import { compareCodePoints, NgramIndex, TermCounter } from "./term-counts.js";

/**
 * TF-IDF options, with scikit-learn's TfidfVectorizer semantics. minDf/maxDf: a value below 1 is a
 * share of documents and an integer ≥ 1 a document count, except maxDf = 1, which is the share 1.0
 * (all documents, sklearn's default) since JavaScript cannot tell 1 from 1.0.
 */
export interface TfidfOptions {
  readonly minDf: number;
  readonly maxDf: number;
  readonly ngramMin: number;
  readonly ngramMax: number;
  /** tf → 1 + ln(tf). */
  readonly sublinearTf: boolean;
  /** Keep only the most frequent terms over the corpus (ties: alphabetically first); null = all. */
  readonly maxFeatures: number | null;
  readonly norm: "l2" | "none";
  /** idf = ln((1+n)/(1+df)) + 1 when true, ln(n/df) + 1 when false. */
  readonly smoothIdf: boolean;
  /**
   * A term's weight is idf raised to this power (1: scikit-learn's TF-IDF). 2 weighs each term by its idf
   * once for the ticket and once for what it is compared with, as a dot product of two TF-IDF rows does:
   * after the row norm, words shared by many tickets lose weight to the words that tell them apart.
   */
  readonly idfPower: number;
}

export const DEFAULT_TFIDF_OPTIONS: TfidfOptions = {
  minDf: 1,
  maxDf: 1,
  ngramMin: 1,
  ngramMax: 1,
  sublinearTf: false,
  maxFeatures: null,
  norm: "l2",
  smoothIdf: true,
  idfPower: 1,
};

/** Serializable fitted model: column j of the matrix is vocabulary[j] (sorted by code point). */
export interface TfidfModel {
  readonly vocabulary: string[];
  readonly idf: Float64Array;
  readonly options: TfidfOptions;
}

/** Documents are pre-tokenized: one array of tokens per document. */
export type TokenizedDocs = readonly (readonly string[])[];

export function fitTfidf(docs: TokenizedDocs, options: Partial<TfidfOptions> = {}): TfidfModel {
  return fitCounts(docs, options).model;
}

/** Fits the vocabulary and idf and returns the training matrix from the same counting pass. */
export function fitTransformTfidf(
  docs: TokenizedDocs,
  options: Partial<TfidfOptions> = {},
): { model: TfidfModel; matrix: Csr } {
  const { model, counter, column } = fitCounts(docs, options, true);
  const counts = countsToCsr(counter, column, model.vocabulary.length);
  return { model, matrix: weigh(counts, model.idf, model.options) };
}

/** One counting pass: the model, the counts by term id, and term id → column (-1 = pruned). */
function fitCounts(
  docs: TokenizedDocs,
  options: Partial<TfidfOptions>,
  keepRows = false,
): { model: TfidfModel; counter: TermCounter; column: Int32Array } {
  const opts = { ...DEFAULT_TFIDF_OPTIONS, ...options };
  validate(opts);
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const index = new NgramIndex(opts.ngramMin, opts.ngramMax, (term) => {
    let id = ids.get(term);
    if (id === undefined) {
      id = terms.length;
      ids.set(term, id);
      terms.push(term);
    }
    return id;
  });
  const counter = new TermCounter(keepRows);
  for (const doc of docs) {
    index.countDocument(doc, counter);
    counter.endDocument();
  }
  ids.clear();
  const n = counter.rows;
  const kept = selectTerms(terms, counter.df, counter.totals, n, opts);
  const column = new Int32Array(terms.length).fill(-1);
  for (let col = 0; col < kept.length; col++) column[kept[col]!] = col;
  const vocabulary = kept.map((id) => terms[id]!);
  const idf = new Float64Array(kept.length);
  for (let col = 0; col < kept.length; col++) {
    idf[col] = inverseDocumentFrequency(n, counter.df[kept[col]!]!, opts);
  }
  return { model: { vocabulary, idf, options: opts }, counter, column };
}

/** TF-IDF rows for new documents; terms outside the vocabulary are ignored. */
export function transformTfidf(model: TfidfModel, docs: TokenizedDocs): Csr {
  const columns = vocabularyIndex(model);
  const index = new NgramIndex(
    model.options.ngramMin,
    model.options.ngramMax,
    (term) => columns.get(term) ?? -1,
  );
  const counter = new TermCounter(true);
  for (const doc of docs) {
    index.countDocument(doc, counter);
    counter.endDocument();
  }
  return weigh(countsToCsr(counter, null, model.vocabulary.length), model.idf, model.options);
}

const indexCache = new WeakMap<TfidfModel, Map<string, number>>();

/** term → column, built once per model (serving transforms small batches repeatedly). */
function vocabularyIndex(model: TfidfModel): Map<string, number> {
  let index = indexCache.get(model);
  if (!index) {
    index = new Map(model.vocabulary.map((term, col) => [term, col]));
    indexCache.set(model, index);
  }
  return index;
}

function validate(opts: TfidfOptions): void {
  const problem = tfidfOptionProblem(opts);
  if (problem) throw new RangeError(`${problem.option} ${problem.problem}`);
}

/** What is wrong with a set of options, named by option (the CLI names its flag), or null. */
export function tfidfOptionProblem(
  opts: TfidfOptions,
): { option: "ngramRange" | "minDf" | "maxDf" | "idfPower" | "maxFeatures"; problem: string } | null {
  if (!Number.isInteger(opts.ngramMin) || opts.ngramMin < 1 || opts.ngramMax < opts.ngramMin) {
    return {
      option: "ngramRange",
      problem: `is not a valid n-gram range: [${opts.ngramMin}, ${opts.ngramMax}]`,
    };
  }
  for (const [option, value] of [
    ["minDf", opts.minDf],
    ["maxDf", opts.maxDf],
  ] as const) {
    if (!(value > 0) || (value > 1 && !Number.isInteger(value))) {
      return { option, problem: `must be a share in (0, 1] or a document count, got ${value}` };
    }
  }
  if (!(opts.idfPower > 0 && Number.isFinite(opts.idfPower))) {
    return { option: "idfPower", problem: `must be a positive number, got ${opts.idfPower}` };
  }
  if (opts.maxFeatures !== null && !(Number.isInteger(opts.maxFeatures) && opts.maxFeatures > 0)) {
    return { option: "maxFeatures", problem: `must be a positive integer or null, got ${opts.maxFeatures}` };
  }
  return null;
}

/** Document-count bound from an option value (see TfidfOptions). */
function documentBound(value: number, n: number, isMax: boolean): number {
  if (value < 1 || (isMax && value === 1)) return value * n;
  return value;
}

/** Term ids surviving the df bounds and maxFeatures, in vocabulary (code point) order. */
function selectTerms(
  terms: string[],
  df: Int32Array,
  totals: Float64Array,
  n: number,
  opts: TfidfOptions,
): number[] {
  const high = documentBound(opts.maxDf, n, true);
  const low = documentBound(opts.minDf, n, false);
  if (high < low) throw new RangeError("maxDf corresponds to fewer documents than minDf");
  // Pruning before sorting: only the survivors pay for the string comparisons.
  let kept: number[] = [];
  for (let id = 0; id < terms.length; id++) if (df[id]! <= high && df[id]! >= low) kept.push(id);
  kept.sort((a, b) => compareCodePoints(terms[a]!, terms[b]!));
  if (opts.maxFeatures !== null && kept.length > opts.maxFeatures) {
    const top = new Set(
      kept
        .slice()
        .sort((a, b) => totals[b]! - totals[a]!)
        .slice(0, opts.maxFeatures),
    );
    kept = kept.filter((id) => top.has(id));
  }
  if (kept.length === 0) throw new RangeError("after pruning, no terms remain; lower minDf or raise maxDf");
  return kept;
}

/** A term's idf weight (stored in the model's idf) among n documents, df of which hold it. */
export function inverseDocumentFrequency(
  n: number,
  df: number,
  options: Pick<TfidfOptions, "smoothIdf"> & Partial<Pick<TfidfOptions, "idfPower">>,
): number {
  const idf = options.smoothIdf ? Math.log((n + 1) / (df + 1)) + 1 : Math.log(n / df) + 1;
  return idf ** (options.idfPower ?? 1);
}

/**
 * The counted rows as a CSR of counts: term ids mapped to columns (column = null: they already are),
 * pruned terms dropped, and each row's columns sorted.
 */
function countsToCsr(counter: TermCounter, column: Int32Array | null, cols: number): Csr {
  const { terms, counts } = counter;
  let total = counter.indptr[counter.rows]!;
  if (column) {
    total = 0;
    for (let p = 0; p < counter.indptr[counter.rows]!; p++) if (column[terms[p]!]! >= 0) total++;
  }
  const indptr = new Int32Array(counter.rows + 1);
  const indices = new Int32Array(total);
  const data = new Float64Array(total);
  const countOf = new Int32Array(cols);
  let at = 0;
  for (let i = 0; i < counter.rows; i++) {
    const start = at;
    for (let p = counter.indptr[i]!; p < counter.indptr[i + 1]!; p++) {
      const col = column ? column[terms[p]!]! : terms[p]!;
      if (col < 0) continue;
      indices[at++] = col;
      countOf[col] = counts[p]!;
    }
    const row = indices.subarray(start, at);
    if (at - start > 1) row.sort();
    for (let p = start; p < at; p++) data[p] = countOf[indices[p]!]!;
    indptr[i + 1] = at;
  }
  return { rows: counter.rows, cols, indptr, indices, data };
}

/** Counts → TF-IDF in place: sublinear tf, × idf, then row L2 normalization (sklearn's order). */
function weigh(counts: Csr, idf: Float64Array, opts: TfidfOptions): Csr {
  const { indptr, indices, data } = counts;
  for (let i = 0; i < counts.rows; i++) {
    const start = indptr[i]!;
    const end = indptr[i + 1]!;
    for (let p = start; p < end; p++) {
      const tf = opts.sublinearTf ? Math.log(data[p]!) + 1 : data[p]!;
      data[p] = tf * idf[indices[p]!]!;
    }
    if (opts.norm === "l2") {
      let sum = 0;
      for (let p = start; p < end; p++) sum += data[p]! * data[p]!;
      if (sum === 0) continue;
      const norm = Math.sqrt(sum);
      for (let p = start; p < end; p++) data[p]! /= norm;
    }
  }
  return counts;
}
