import { type Csr, transpose } from "./csr.js";
import { CountMatrixBuilder, compareCodePoints, forEachNgram } from "./term-counts.js";

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
  const { model, builder, column } = fitCounts(docs, options);
  const counts = remapColumns(builder, column, model.vocabulary.length);
  return { model, matrix: weigh(counts, model.idf, model.options) };
}

/** One counting pass: the model, the raw counts by first-seen term id, and term id → column (-1 = pruned). */
function fitCounts(
  docs: TokenizedDocs,
  options: Partial<TfidfOptions>,
): { model: TfidfModel; builder: CountMatrixBuilder; column: Int32Array } {
  const opts = { ...DEFAULT_TFIDF_OPTIONS, ...options };
  validate(opts);
  const ids = new Map<string, number>();
  const builder = new CountMatrixBuilder();
  const visit = (term: string): void => {
    let id = ids.get(term);
    if (id === undefined) {
      id = ids.size;
      ids.set(term, id);
    }
    builder.add(id);
  };
  for (const doc of docs) {
    forEachNgram(doc, opts.ngramMin, opts.ngramMax, visit);
    builder.endDocument();
  }
  const terms = [...ids.keys()];
  ids.clear();
  const n = builder.rows;
  const df = new Float64Array(terms.length);
  const tf = new Float64Array(terms.length);
  for (let p = 0; p < builder.nnz; p++) {
    df[builder.indices[p]!]!++;
    tf[builder.indices[p]!]! += builder.counts[p]!;
  }
  const kept = selectTerms(terms, df, tf, n, opts);
  const column = new Int32Array(terms.length).fill(-1);
  kept.forEach((id, col) => {
    column[id] = col;
  });
  const vocabulary = kept.map((id) => terms[id]!);
  const idf = new Float64Array(kept.length);
  kept.forEach((id, col) => {
    idf[col] = inverseDocumentFrequency(n, df[id]!, opts.smoothIdf);
  });
  return { model: { vocabulary, idf, options: opts }, builder, column };
}

/** TF-IDF rows for new documents; terms outside the vocabulary are ignored. */
export function transformTfidf(model: TfidfModel, docs: TokenizedDocs): Csr {
  const columns = vocabularyIndex(model);
  const builder = new CountMatrixBuilder();
  const visit = (term: string): void => {
    const col = columns.get(term);
    if (col !== undefined) builder.add(col);
  };
  for (const doc of docs) {
    forEachNgram(doc, model.options.ngramMin, model.options.ngramMax, visit);
    builder.endDocument();
  }
  const counts: Csr = {
    rows: builder.rows,
    cols: model.vocabulary.length,
    indptr: builder.indptr.slice(0, builder.rows + 1),
    indices: builder.indices.slice(0, builder.nnz),
    data: builder.counts.slice(0, builder.nnz),
  };
  return weigh(counts, model.idf, model.options);
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
  if (!Number.isInteger(opts.ngramMin) || opts.ngramMin < 1 || opts.ngramMax < opts.ngramMin) {
    throw new RangeError(`invalid n-gram range [${opts.ngramMin}, ${opts.ngramMax}]`);
  }
  for (const [name, value] of [
    ["minDf", opts.minDf],
    ["maxDf", opts.maxDf],
  ] as const) {
    if (!(value > 0) || (value > 1 && !Number.isInteger(value))) {
      throw new RangeError(`${name} must be a share in (0, 1] or a document count, got ${value}`);
    }
  }
  if (opts.maxFeatures !== null && !(Number.isInteger(opts.maxFeatures) && opts.maxFeatures > 0)) {
    throw new RangeError(`maxFeatures must be a positive integer or null, got ${opts.maxFeatures}`);
  }
}

/** Document-count bound from an option value (see TfidfOptions). */
function documentBound(value: number, n: number, isMax: boolean): number {
  if (value < 1 || (isMax && value === 1)) return value * n;
  return value;
}

/** Term ids surviving the df bounds and maxFeatures, in vocabulary (code point) order. */
function selectTerms(
  terms: string[],
  df: Float64Array,
  tf: Float64Array,
  n: number,
  opts: TfidfOptions,
): number[] {
  const high = documentBound(opts.maxDf, n, true);
  const low = documentBound(opts.minDf, n, false);
  if (high < low) throw new RangeError("maxDf corresponds to fewer documents than minDf");
  const order = Array.from({ length: terms.length }, (_, id) => id).sort((a, b) =>
    compareCodePoints(terms[a]!, terms[b]!),
  );
  let kept = order.filter((id) => df[id]! <= high && df[id]! >= low);
  if (opts.maxFeatures !== null && kept.length > opts.maxFeatures) {
    const top = new Set(
      kept
        .slice()
        .sort((a, b) => tf[b]! - tf[a]!)
        .slice(0, opts.maxFeatures),
    );
    kept = kept.filter((id) => top.has(id));
  }
  if (kept.length === 0) throw new RangeError("after pruning, no terms remain; lower minDf or raise maxDf");
  return kept;
}

function inverseDocumentFrequency(n: number, df: number, smooth: boolean): number {
  return smooth ? Math.log((n + 1) / (df + 1)) + 1 : Math.log(n / df) + 1;
}

/** Maps term ids to vocabulary columns, drops pruned terms, and re-sorts columns per row. */
function remapColumns(builder: CountMatrixBuilder, column: Int32Array, cols: number): Csr {
  let total = 0;
  for (let p = 0; p < builder.nnz; p++) if (column[builder.indices[p]!]! >= 0) total++;
  const indptr = new Int32Array(builder.rows + 1);
  const indices = new Int32Array(total);
  const data = new Float64Array(total);
  let at = 0;
  for (let i = 0; i < builder.rows; i++) {
    for (let p = builder.indptr[i]!; p < builder.indptr[i + 1]!; p++) {
      const col = column[builder.indices[p]!]!;
      if (col < 0) continue;
      indices[at] = col;
      data[at++] = builder.counts[p]!;
    }
    indptr[i + 1] = at;
  }
  // Transposing twice is a linear-time counting sort of every row's columns.
  return transpose(transpose({ rows: builder.rows, cols, indptr, indices, data }));
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
