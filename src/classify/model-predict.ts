import { topicById } from "../topics/taxonomy.js";
import { type TfidfModel, transformTfidf } from "../topics/tfidf.js";
import { topContributions } from "./explain.js";
import { RowScorer } from "./logistic.js";
import type { RoutingModel } from "./model.js";
import { outOfScopeScore } from "./out-of-scope.js";
import { routerTextTerms } from "./router-input.js";

export interface Prediction {
  topicId: number;
  topicName: string;
  department: string;
  confidence: number;
  /** src/classify/out-of-scope.ts: how likely the ticket belongs to none of the topics. */
  outOfScope: number;
  /** (1 − outOfScope) = confidence × term coverage is below the taxonomy's review threshold. */
  needsReview: boolean;
  /** The terms that pushed the prediction most, strongest first. */
  explanation: { term: string; weight: number }[];
  modelVersion: string;
}

export interface Predictor {
  readonly model: RoutingModel;
  predict(text: string): Prediction;
  /** From the router's features (router-input.ts `routerTerms`), as `preprocess` returns them. */
  predictTokens(tokens: readonly string[]): Prediction;
}

/** `explainTerms` 0 (the stream's routed records carry no explanation): nothing to rank. */
const noReasons = { features: [], contributions: [] };

/** Text → the router's features; by default the model's own (exact) preprocessing and router input. */
export type TextToTerms = (text: string) => readonly string[];

/**
 * Text → topic, department, confidence and explanation with one routing model (the predict step and
 * the API). `preprocess` replaces the model's exact preprocessing (the API's lexicon option).
 * Predictions are synchronous and share scratch buffers: one predictor serves one thread.
 */
export function createPredictor(
  model: RoutingModel,
  explainTerms = 5,
  preprocess: TextToTerms = routerTextTerms(model),
): Predictor {
  const topics = topicById(model.taxonomy);
  const classes = model.classTopics.map((id) => ({
    id,
    name: topics.get(id)?.name ?? `topic ${id}`,
    department: topics.get(id)?.department ?? "Unrouted",
  }));
  const proba = new Float64Array(model.classifier.nClasses);
  const row = new TfidfRow(model.tfidf);
  const scorer = new RowScorer(model.classifier);
  const predictTokens = (tokens: readonly string[]): Prediction => {
    const { indices, data, knownTerms } = row.transform(tokens);
    scorer.proba(indices, data, proba);
    let best = 0;
    for (let k = 1; k < proba.length; k++) if (proba[k]! > proba[best]!) best = k;
    const why = explainTerms > 0 ? topContributions(scorer, indices, data, best, explainTerms) : noReasons;
    const confidence = proba[best]!;
    const outOfScope = outOfScopeScore(confidence, knownTerms, tokens.length);
    const explanation: Prediction["explanation"] = new Array(why.features.length);
    for (let i = 0; i < explanation.length; i++) {
      explanation[i] = { term: model.tfidf.vocabulary[why.features[i]!]!, weight: why.contributions[i]! };
    }
    return {
      topicId: classes[best]!.id,
      topicName: classes[best]!.name,
      department: classes[best]!.department,
      confidence,
      outOfScope,
      needsReview: 1 - outOfScope < model.taxonomy.reviewThreshold,
      explanation,
      modelVersion: model.version,
    };
  };
  return { model, predict: (text) => predictTokens(preprocess(text)), predictTokens };
}

export interface TfidfRowValues {
  indices: Int32Array;
  data: Float64Array;
  knownTerms: number;
}

/**
 * One document's TF-IDF row, bit-identical to row 0 of `transformTfidf(model, [tokens])` (same
 * counts, same column order, same floating-point operations) without building that function's
 * per-call n-gram and count tables, which cost more than the rest of a prediction. N-grams are
 * found by walking a trie of the vocabulary's tokens, each token looked up by its text once (the
 * words router reads ~130 tokens per ticket: string hashing and comparing was most of the walk's
 * cost when every n-gram step looked its token up again). A token holding a space could join terms
 * differently than the trie splits them, so such input takes `transformTfidf` itself.
 */
export class TfidfRow {
  readonly #model: TfidfModel;
  /** Every token of the vocabulary's terms → its number. */
  readonly #tokenIds = new Map<string, number>();
  /** Token number → the trie node of that token alone (a term's first token), or −1. */
  readonly #first: Int32Array;
  /** (node × token count + token number) → the trie node one token further. */
  readonly #next = new Map<number, number>();
  /** Node → vocabulary column of the n-gram ending there, or −1; node 0 is the root. */
  readonly #column: Int32Array;
  readonly #counts: Int32Array;
  /** The current document's token numbers (−1: in no term). */
  #ids = new Int32Array(256);
  #indices = new Int32Array(64);
  /** The vocabulary as a set, for tokens holding spaces (rare): built when first needed. */
  #vocabulary: Set<string> | undefined;
  #data = new Float64Array(64);

  constructor(model: TfidfModel) {
    this.#model = model;
    const terms = model.vocabulary.map((term) => term.split(" "));
    for (const tokens of terms) {
      for (const token of tokens)
        if (!this.#tokenIds.has(token)) this.#tokenIds.set(token, this.#tokenIds.size);
    }
    const tokenCount = this.#tokenIds.size;
    this.#first = new Int32Array(tokenCount).fill(-1);
    const nodeColumns: number[] = [-1];
    terms.forEach((tokens, col) => {
      let node = 0;
      for (const token of tokens) {
        const id = this.#tokenIds.get(token)!;
        const key = node * tokenCount + id;
        let next = node === 0 ? this.#first[id]! : (this.#next.get(key) ?? -1);
        if (next < 0) {
          next = nodeColumns.length;
          nodeColumns.push(-1);
          if (node === 0) this.#first[id] = next;
          else this.#next.set(key, next);
        }
        node = next;
      }
      nodeColumns[node] = col;
    });
    this.#column = Int32Array.from(nodeColumns);
    this.#counts = new Int32Array(model.vocabulary.length);
  }

  /**
   * The row's sorted columns and TF-IDF values (valid until the next call), and how many tokens are
   * vocabulary terms themselves (the out-of-scope score's coverage).
   */
  transform(tokens: readonly string[]): TfidfRowValues {
    if (tokens.length > this.#ids.length) this.#ids = new Int32Array(tokens.length * 2);
    const ids = this.#ids;
    for (let i = 0; i < tokens.length; i++) {
      const id = this.#tokenIds.get(tokens[i]!);
      if (id === undefined && tokens[i]!.includes(" ")) return this.#viaTransformTfidf(tokens);
      ids[i] = id ?? -1;
    }
    const { ngramMin, ngramMax } = this.#model.options;
    const tokenCount = this.#tokenIds.size;
    const counts = this.#counts;
    let nnz = 0;
    let knownTerms = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (ids[i]! < 0) continue;
      let node = this.#first[ids[i]!]!;
      for (let n = 1; node >= 0; n++) {
        const col = this.#column[node]!;
        if (n === 1 && col >= 0) knownTerms++;
        if (n >= ngramMin && col >= 0 && counts[col]!++ === 0) {
          if (nnz === this.#indices.length) this.#grow(nnz * 2);
          this.#indices[nnz++] = col;
        }
        if (n === ngramMax || i + n >= tokens.length || ids[i + n]! < 0) break;
        node = this.#next.get(node * tokenCount + ids[i + n]!) ?? -1;
      }
    }
    const indices = this.#indices.subarray(0, nnz).sort();
    const data = this.#data.subarray(0, nnz);
    for (let p = 0; p < nnz; p++) {
      data[p] = counts[indices[p]!]!;
      counts[indices[p]!] = 0;
    }
    this.#weigh(indices, data);
    return { indices, data, knownTerms };
  }

  /** tf (sublinear when configured) × idf, then L2 normalization, in transformTfidf's order. */
  #weigh(indices: Int32Array, data: Float64Array): void {
    const { sublinearTf, norm } = this.#model.options;
    const idf = this.#model.idf;
    for (let p = 0; p < data.length; p++) {
      const tf = sublinearTf ? Math.log(data[p]!) + 1 : data[p]!;
      data[p] = tf * idf[indices[p]!]!;
    }
    if (norm !== "l2") return;
    let sum = 0;
    for (let p = 0; p < data.length; p++) sum += data[p]! * data[p]!;
    if (sum === 0) return;
    const length = Math.sqrt(sum);
    for (let p = 0; p < data.length; p++) data[p]! /= length;
  }

  #viaTransformTfidf(tokens: readonly string[]): TfidfRowValues {
    const x = transformTfidf(this.#model, [tokens]);
    this.#vocabulary ??= new Set(this.#model.vocabulary);
    let knownTerms = 0;
    for (const token of tokens) if (this.#vocabulary.has(token)) knownTerms++;
    return { indices: x.indices, data: x.data, knownTerms };
  }

  #grow(size: number): void {
    const indices = new Int32Array(size);
    indices.set(this.#indices);
    this.#indices = indices;
    this.#data = new Float64Array(size);
  }
}
