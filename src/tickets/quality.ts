/**
 * How well automatic labelling and routing agree with what people decided, measured on a corpus whose
 * true groups are known. The truth never reaches labelling or training: topics come from TF-IDF + NMF
 * on the text alone, the routing classifier learns those topics, and only then is each topic mapped
 * to a group (its majority group on the training rows) and scored against the truth, as the seed did.
 */
import { majorityMapping } from "../classify/agreement.js";
import { fitLogistic, predictClasses } from "../classify/logistic.js";
import { classificationReport } from "../classify/metrics.js";
import { stratifiedSplit } from "../classify/split.js";
import { createPreprocessor, type PreprocessOptions } from "../text/preprocess.js";
import type { Csr } from "../topics/csr.js";
import { fitNmf, type NmfOptions } from "../topics/nmf.js";
import { assignTopics } from "../topics/report.js";
import { type KScore, selectK } from "../topics/select-k.js";
import { fitTransformTfidf, type TfidfOptions, type TokenizedDocs, transformTfidf } from "../topics/tfidf.js";
import { agreementWithTruth } from "./truth.js";

export interface LabellingSettings {
  readonly tfidf: Partial<TfidfOptions>;
  /** A fixed number of topics, or the candidates `selectK` chooses from (as relabel does without --k). */
  readonly k: number | readonly number[];
  readonly nmf: Omit<NmfOptions, "k">;
  /** Tickets whose top topic holds less of their topic weight are unassigned (0 = argmax, the seed's way). */
  readonly assignThreshold: number;
}

export interface RoutingSettings {
  readonly tfidf: Partial<TfidfOptions>;
  readonly C: number;
  readonly classWeight: "balanced" | null;
  readonly maxIter: number;
  readonly testShare: number;
  /** Seed of the stratified split. */
  readonly seed: number;
}

export interface QualitySettings {
  readonly preprocess: Partial<PreprocessOptions>;
  readonly labelling: LabellingSettings;
  readonly routing: RoutingSettings;
}

export interface Scores {
  readonly rows: number;
  readonly accuracy: number;
  readonly macroF1: number;
}

export interface Agreement extends Scores {
  /** Normalized mutual information of topics and true groups. */
  readonly nmi: number;
}

export interface LabellingQuality {
  readonly k: number;
  /** The k-selection curve when k was chosen automatically. */
  readonly kCurve: KScore[] | null;
  /** Every ticket to its strongest topic, each topic mapped to its majority group. */
  readonly argmax: Agreement;
  /** Only tickets at or above the assignment threshold, as the pipeline labels them. */
  readonly assigned: Agreement & { readonly coverage: number };
}

export interface RoutingQuality {
  /** Topics the classifier learned (those with assigned tickets). */
  readonly classes: number;
  readonly trainRows: number;
  /** The pipeline's held-out split of assigned tickets, predicted topics mapped to groups. */
  readonly heldOut: Scores;
  /** The held-out split plus the unassigned tickets: every ticket the classifier never saw. */
  readonly unseen: Scores;
}

export interface Quality {
  readonly labelling: LabellingQuality;
  readonly routing: RoutingQuality;
}

/**
 * The seed's method as Inflow runs it: every word kept (no POS filter, no lemmas; stop words and
 * words with digits dropped), TF-IDF min_df=2 max_df=0.95, NMF k=8 seeded 40, every ticket to its argmax topic.
 */
export const seedMethod: Omit<QualitySettings, "routing"> = {
  preprocess: { keepPos: [], lemmatize: false },
  labelling: {
    tfidf: { minDf: 2, maxDf: 0.95 },
    k: 8,
    nmf: { seed: 40, tol: 1e-4, maxIter: 300 },
    assignThreshold: 0,
  },
};

/**
 * The best labelling measured on both real corpora (see scripts/quality.ts and bench/results/quality.json):
 * nouns, verbs and adjectives (on already normalised IT text a noun filter throws away "install",
 * "access", "new"), terms in at least 5 tickets, 20 topics mapped many-to-one onto departments.
 */
export const recommendedMethod: Omit<QualitySettings, "routing"> = {
  preprocess: { keepPos: ["NOUN", "VERB", "ADJ"], lemmatize: true },
  labelling: {
    tfidf: { minDf: 5, maxDf: 0.95 },
    k: 20,
    nmf: { seed: 40, tol: 1e-4, maxIter: 300 },
    assignThreshold: 0.3,
  },
};

/** The corpus's texts as the preprocess step turns them into tokens. */
export function preprocessTexts(texts: readonly string[], options: Partial<PreprocessOptions>): string[][] {
  const preprocess = createPreprocessor(options);
  return texts.map((text) => preprocess(text));
}

export interface CorpusQuality extends Quality {
  readonly rows: number;
  readonly groups: number;
  /** Seconds spent preprocessing, labelling and routing (the measurement's own cost, not a quality). */
  readonly seconds: number;
}

/** Preprocesses the corpus's texts with the settings (plus what the corpus itself needs) and measures. */
export function measureCorpus(
  corpus: {
    readonly texts: readonly string[];
    readonly truth: Int32Array;
    readonly groups: readonly string[];
  },
  settings: QualitySettings,
): CorpusQuality {
  const started = performance.now();
  const docs = preprocessTexts(corpus.texts, settings.preprocess);
  const quality = measureQuality(docs, corpus.truth, corpus.groups.length, settings);
  return {
    rows: docs.length,
    groups: corpus.groups.length,
    ...quality,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Labels the documents without the truth, trains the router on the labels, then scores both against the truth. */
export function measureQuality(
  docs: TokenizedDocs,
  truth: Int32Array,
  nGroups: number,
  settings: Omit<QualitySettings, "preprocess">,
): Quality {
  const labelling = fitTopics(docs, settings.labelling);
  const assigned = agreement(labelling.topics, truth);
  const argmax = agreement(labelling.argmaxTopics, truth);
  return {
    labelling: {
      k: labelling.k,
      kCurve: labelling.kCurve,
      argmax,
      assigned: { ...assigned, coverage: assigned.rows / docs.length },
    },
    routing: measureRouting(docs, labelling.topics, truth, nGroups, settings.routing),
  };
}

interface FittedTopics {
  k: number;
  kCurve: KScore[] | null;
  /** Topic per document, -1 below the assignment threshold. */
  topics: Int32Array;
  argmaxTopics: Int32Array;
}

/** What relabel does: TF-IDF, k given or chosen by selectK, NMF, topics by assignment threshold. */
export function fitTopics(docs: TokenizedDocs, settings: LabellingSettings): FittedTopics {
  const { matrix: x } = fitTransformTfidf(docs, settings.tfidf);
  const selection =
    typeof settings.k === "number"
      ? null
      : selectK(x, { candidates: settings.k, nmf: settings.nmf, seed: settings.nmf.seed ?? 0 });
  const k = selection?.k ?? (settings.k as number);
  const nmf = fitNmf(x, { ...settings.nmf, k });
  return {
    k,
    kCurve: selection?.curve ?? null,
    topics: assignTopics(nmf.w, k, settings.assignThreshold).topic,
    argmaxTopics: assignTopics(nmf.w, k, 0).topic,
  };
}

/** NMI and the seed's majority-mapped accuracy and macro-F1 of the assigned documents' topics. */
function agreement(topics: Int32Array, truth: Int32Array): Agreement {
  const ids: string[] = [];
  const truthById = new Map<string, string>();
  for (let i = 0; i < topics.length; i++) {
    if (topics[i]! < 0) continue;
    const id = String(i);
    ids.push(id);
    truthById.set(id, String(truth[i]));
  }
  const kept = Int32Array.from(ids, (id) => topics[Number(id)]!);
  const result = agreementWithTruth(ids, kept, [], truthById);
  if (!result) return { rows: 0, nmi: 0, accuracy: 0, macroF1: 0 };
  return {
    rows: result.rows,
    nmi: result.nmi,
    accuracy: result.majorityAccuracy,
    macroF1: result.majorityMacroF1,
  };
}

/**
 * What train does with the topic labels (unassigned dropped, stratified split, TF-IDF fitted on the
 * training rows, logistic regression), then maps each learned topic to its majority true group on the
 * training rows only and scores the held-out predictions against the truth.
 */
export function measureRouting(
  docs: TokenizedDocs,
  topics: Int32Array,
  truth: Int32Array,
  nGroups: number,
  settings: RoutingSettings,
): RoutingQuality {
  const labelled: number[] = [];
  for (let i = 0; i < topics.length; i++) if (topics[i]! >= 0) labelled.push(i);
  const classTopics = [...new Set(labelled.map((i) => topics[i]!))].sort((a, b) => a - b);
  const classOf = new Map(classTopics.map((topic, c) => [topic, c]));
  const y = Int32Array.from(labelled, (i) => classOf.get(topics[i]!)!);
  const split = stratifiedSplit(y, settings.testShare, settings.seed);
  const trainRows = Int32Array.from(split.train, (r) => labelled[r]!);
  const yTrain = Int32Array.from(split.train, (r) => y[r]!);
  const router = trainRouter(docs, trainRows, yTrain, classTopics.length, settings);

  const classGroup = majorityMapping(
    yTrain,
    Int32Array.from(trainRows, (i) => truth[i]!),
    classTopics.length,
    nGroups,
  ).mapping;
  const heldOutRows = Int32Array.from(split.test, (r) => labelled[r]!);
  const unassignedRows = Int32Array.from(topics.keys()).filter((i) => topics[i]! < 0);
  const unseenRows = Int32Array.from([...heldOutRows, ...unassignedRows]);
  const predicted = router(unseenRows).map((c) => classGroup[c]!);
  return {
    classes: classTopics.length,
    trainRows: trainRows.length,
    heldOut: scores(
      Int32Array.from(heldOutRows, (i) => truth[i]!),
      predicted.subarray(0, heldOutRows.length),
      nGroups,
    ),
    unseen: scores(
      Int32Array.from(unseenRows, (i) => truth[i]!),
      predicted,
      nGroups,
    ),
  };
}

/** The supervised ceiling: the same router trained on the true groups, scored on a held-out split. */
export function measureCeiling(
  docs: TokenizedDocs,
  truth: Int32Array,
  nGroups: number,
  settings: RoutingSettings,
): Scores {
  const split = stratifiedSplit(truth, settings.testShare, settings.seed);
  const router = trainRouter(
    docs,
    split.train,
    Int32Array.from(split.train, (i) => truth[i]!),
    nGroups,
    settings,
  );
  return scores(
    Int32Array.from(split.test, (i) => truth[i]!),
    router(split.test),
    nGroups,
  );
}

/** TF-IDF fitted on the training rows + logistic regression; returns a predictor of classes for any rows. */
function trainRouter(
  docs: TokenizedDocs,
  rows: Int32Array,
  y: Int32Array,
  nClasses: number,
  settings: RoutingSettings,
): (rows: Int32Array) => Int32Array {
  const pick = (at: Int32Array) => Array.from(at, (i) => docs[i]!);
  const { model: tfidf, matrix } = fitTransformTfidf(pick(rows), settings.tfidf);
  const fit = fitLogistic(matrix, y, nClasses, {
    C: settings.C,
    maxIter: settings.maxIter,
    classWeight: settings.classWeight,
  });
  return (at) => predictClasses(fit, transformTfidf(tfidf, pick(at)) as Csr);
}

function scores(yTrue: Int32Array, yPred: Int32Array, nClasses: number): Scores {
  const report = classificationReport(yTrue, yPred, nClasses);
  return { rows: report.rows, accuracy: report.accuracy, macroF1: report.macro.f1 };
}
