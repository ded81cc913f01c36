import type { Csr } from "./csr.js";
import { fitNmf, type NmfModel, type NmfOptions } from "./nmf.js";
import { defaultKMax, type KSelection, selectK } from "./select-k.js";
import { fitTransformTfidf, type TfidfModel, type TfidfOptions, type TokenizedDocs } from "./tfidf.js";
import { rowNorms } from "./topic-terms.js";

export interface TopicFitOptions {
  readonly tfidf: Partial<TfidfOptions>;
  /** A fixed number of topics, or the range selectK chooses from (max: defaultKMax of the corpus size). */
  readonly k: number | { readonly min: number; readonly max?: number | undefined };
  readonly nmf: Omit<NmfOptions, "k">;
}

export interface FittedTopics {
  readonly tfidf: TfidfModel;
  readonly x: Csr;
  readonly k: number;
  /** The k search, null when k was given. */
  readonly selection: KSelection | null;
  /** W and H rescaled so that every topic (row of H) has unit length; W·H is unchanged. */
  readonly nmf: NmfModel;
  /** Wall-clock seconds of TF-IDF, the k search (0 when k was given) and the final fit: what choosing k costs. */
  readonly seconds: { readonly tfidf: number; readonly selectK: number; readonly fit: number };
}

/** What relabel fits: TF-IDF, then k (given, or chosen by selectK), then NMF with unit-length topics. */
export function fitTopics(docs: TokenizedDocs, options: TopicFitOptions): FittedTopics {
  const begun = performance.now();
  const { model: tfidf, matrix: x } = fitTransformTfidf(docs, options.tfidf);
  const started = performance.now();
  const selection =
    typeof options.k === "number"
      ? null
      : selectK(x, {
          range: { min: options.k.min, max: options.k.max ?? defaultKMax(x.rows, options.k.min) },
          nmf: options.nmf,
          seed: options.nmf.seed ?? 0,
        });
  const selected = performance.now();
  const k = selection?.k ?? (options.k as number);
  const nmf = unitTopics(fitNmf(x, { ...options.nmf, k }));
  const seconds = {
    tfidf: (started - begun) / 1000,
    selectK: (selected - started) / 1000,
    fit: (performance.now() - selected) / 1000,
  };
  return { tfidf, x, k, selection, nmf, seconds };
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
