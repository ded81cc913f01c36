import { runSteps, type Steps } from "../util/steps.js";
import type { Csr } from "./csr.js";
import { mergeTopicsSteps, type TopicMerge } from "./merge-topics.js";
import { fitNmfSteps, type NmfModel, type NmfOptions } from "./nmf.js";
import { refineTopicsSteps } from "./refine-topics.js";
import { defaultKMax, type KScore, type KSelection, selectKSteps } from "./select-k.js";
import { fitTransformTfidf, type TfidfModel, type TfidfOptions, type TokenizedDocs } from "./tfidf.js";
import { rowNorms } from "./topic-terms.js";

/**
 * The topic model's TF-IDF when `relabel` is given no flags (its --min-df, --max-df, --ngram-max,
 * --sublinear-tf and --idf-power defaults): unigrams and bigrams, because the intents of short queries are
 * phrases (top up, change pin), terms in at least 5 tickets and at most 95% of them, weighed by idf squared
 * (the words many topics share weigh less against the words that tell them apart); measured on the panel
 * (docs/quality.md). The replayed novelty streams fit with it too (src/novelty/replay.ts).
 */
export const relabelTfidfDefaults = {
  minDf: 5,
  maxDf: 0.95,
  ngramMin: 1,
  ngramMax: 2,
  sublinearTf: false,
  idfPower: 2,
  maxFeatures: null,
} as const satisfies Partial<TfidfOptions>;

export interface TopicFitOptions {
  readonly tfidf: Partial<TfidfOptions>;
  /** A fixed number of topics, or the range selectK chooses from (max: defaultKMax of the corpus size). */
  readonly k: number | { readonly min: number; readonly max?: number | undefined };
  readonly nmf: Omit<NmfOptions, "k">;
  /**
   * Seed of the k search's draws of halves; default the NMF seed (deterministic). Measuring how the choice
   * holds when only the draw changes needs it apart from the NMF seed (docs/quality.md).
   */
  readonly halvesSeed?: number;
  /** Told when each stage starts and as each k of the search is scored (relabel shows them). */
  readonly progress?: TopicFitProgress;
}

export interface TopicFitProgress {
  stage(
    stage: "k search" | "fit" | "merge",
    detail: { k?: number; range?: { min: number; max: number } },
  ): void;
  scored(score: KScore, scoredSoFar: number): void;
}

export interface FittedTopics {
  readonly tfidf: TfidfModel;
  readonly x: Csr;
  /** Topics after merging (the k given, or the k search's choice merged by mergeTopics). */
  readonly k: number;
  /** The k search, null when k was given. */
  readonly selection: KSelection | null;
  /** The merge of the chosen k's over-split topics, null when k was given. */
  readonly merge: TopicMerge | null;
  /**
   * Topics of unit length (rows of H); W the tickets' weights on them. A chosen k's merged topics are then
   * refined (refineTopics): each the mean of the tickets it labels, up to REFINE_PASSES times.
   */
  readonly nmf: NmfModel;
  /**
   * Wall-clock seconds of TF-IDF, the k search (0 when k was given), the fit at the chosen k and the
   * merge with the refinement (0 when k was given): what choosing k costs.
   */
  readonly seconds: {
    readonly tfidf: number;
    readonly selectK: number;
    readonly fit: number;
    readonly merge: number;
  };
}

/**
 * What relabel fits: TF-IDF, then k (given, or chosen by selectK), then NMF with unit-length topics;
 * a chosen k's topics are then merged where they share their tickets (mergeTopics) and refined, each
 * the mean of the tickets it labels (refineTopics).
 */
export function fitTopics(docs: TokenizedDocs, options: TopicFitOptions): FittedTopics {
  return runSteps(fitTopicsSteps(docs, options));
}

/**
 * fitTopics, pausing after each NMF iteration of the k search and the fit, and every few rows of the
 * merge's and the refinement's projections (src/util/steps.ts): relabel runs it so that Ctrl-C and
 * SIGTERM stop it there. TF-IDF runs whole.
 */
export function* fitTopicsSteps(docs: TokenizedDocs, options: TopicFitOptions): Steps<FittedTopics> {
  const begun = performance.now();
  const { model: tfidf, matrix: x } = fitTransformTfidf(docs, options.tfidf);
  const started = performance.now();
  const { progress } = options;
  let selection: KSelection | null = null;
  if (typeof options.k !== "number") {
    const range = { min: options.k.min, max: options.k.max ?? defaultKMax(x.rows, options.k.min) };
    progress?.stage("k search", { range });
    selection = yield* selectKSteps(x, {
      range,
      nmf: options.nmf,
      seed: options.halvesSeed ?? options.nmf.seed ?? 0,
      ...(progress && { onScored: (score: KScore, n: number) => progress.scored(score, n) }),
    });
  }
  const selected = performance.now();
  const k = selection?.k ?? (options.k as number);
  progress?.stage("fit", { k });
  const fitted = unitTopics(yield* fitNmfSteps(x, { ...options.nmf, k }));
  const fit = performance.now();
  if (selection) progress?.stage("merge", { k });
  const merged = selection ? yield* mergeTopicsSteps(x, fitted) : null;
  const nmf = merged ? yield* refineTopicsSteps(x, merged.nmf) : fitted;
  const seconds = {
    tfidf: (started - begun) / 1000,
    selectK: (selected - started) / 1000,
    fit: (fit - selected) / 1000,
    merge: (performance.now() - fit) / 1000,
  };
  return { tfidf, x, k: nmf.k, selection, merge: merged?.merge ?? null, nmf, seconds };
}

/**
 * NMF leaves each topic's scale free (W·c and H/c fit equally well), so a raw W compares a ticket's
 * weights on topics of different lengths. With unit-length topics a ticket's weight on a topic is the
 * length of that topic's part of its reconstruction, comparable across topics: the strongest topic is
 * the one that explains most of the ticket. New tickets projected on these topics (transformNmf) get
 * weights in the same units. Measured on the panel (docs/quality.md), this raises NMI on short texts.
 * Rescales the model's own W and H in place: W is tickets × k doubles (2 GiB at 1M tickets and k = 256),
 * and a copy of it was what could take relabel past 4 GiB.
 */
export function unitTopics(model: NmfModel): NmfModel {
  const { k, cols, w, h } = model;
  const norms = rowNorms(h, k, cols);
  for (let i = 0; i < h.length; i++) {
    const norm = norms[Math.floor(i / cols)]!;
    if (norm > 0) h[i]! /= norm;
  }
  for (let i = 0; i < w.length; i++) w[i]! *= norms[i % k]! || 1;
  return model;
}
