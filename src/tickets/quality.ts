/**
 * How well automatic labelling and routing agree with what people decided, measured on a corpus whose
 * true groups are known. The truth never reaches labelling or training: topics come from TF-IDF + NMF
 * on the text alone, the routing classifier learns those topics, and only then is each topic mapped to
 * a group. The map is always learned on one split and scored on the other (heldOutRouting), with
 * macro-F1 over every true group, so a topic per ticket cannot score well by construction.
 */
import { fitLogistic, predictClasses } from "../classify/logistic.js";
import { stratifiedSplit } from "../classify/split.js";
import { createPreprocessor, type PreprocessOptions } from "../text/preprocess.js";
import type { Csr } from "../topics/csr.js";
import { fitTopics, type TopicFitOptions } from "../topics/fit-topics.js";
import type { TopicMerge } from "../topics/merge-topics.js";
import { assignTopics } from "../topics/report.js";
import type { KScore } from "../topics/select-k.js";
import { fitTransformTfidf, type TfidfOptions, type TokenizedDocs, transformTfidf } from "../topics/tfidf.js";
import { type HeldOutRouting, heldOutRouting, type Scores } from "./truth.js";

export interface LabellingSettings extends TopicFitOptions {
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

export interface LabellingQuality {
  readonly k: number;
  /** The k-selection curve when k was chosen automatically. */
  readonly kCurve: KScore[] | null;
  /** How the chosen k's topics were merged into `k` (the whole agglomeration curve), null when k was given. */
  readonly merge: Omit<TopicMerge, "groupOf"> | null;
  /** Every ticket to its strongest topic; map learned on one half of the tickets, scored on the other. */
  readonly argmax: HeldOutRouting;
  /** Share of tickets at or above the assignment threshold (the rest are unassigned and not trained on). */
  readonly coverage: number;
  /** Seconds of the k search, of the fit at the chosen k and of the merge with its refinement. */
  readonly seconds: { readonly selectK: number; readonly fit: number; readonly merge: number };
}

export interface RoutingQuality {
  /** Topics the classifier learned (those with assigned tickets). */
  readonly classes: number;
  readonly trainRows: number;
  /** The train step's held-out split, predicted topics routed by the map learned on its training split. */
  readonly heldOut: HeldOutRouting;
  /** The held-out split plus the unassigned tickets: every ticket the classifier never saw. */
  readonly unseen: Scores;
}

export interface Quality {
  readonly labelling: LabellingQuality;
  readonly routing: RoutingQuality;
}

/** Seed of the halves the labelling's topic → group map is learned and scored on. */
const LABELLING_SPLIT_SEED = 7;

/**
 * The seed's method as Inflow runs it, told the true number of groups: every word kept (no POS filter,
 * no lemmas; stop words and words with digits dropped), TF-IDF min_df=2 max_df=0.95, NMF seeded 40,
 * every ticket to its argmax topic.
 */
export function seedMethod(k: number): Omit<QualitySettings, "routing"> {
  return {
    preprocess: { keepPos: [], lemmatize: false },
    labelling: {
      tfidf: { minDf: 2, maxDf: 0.95 },
      k,
      nmf: { seed: 40, tol: 1e-4, maxIter: 300 },
      assignThreshold: 0,
    },
  };
}

/** The corpus's texts as the preprocess step turns them into tokens. */
export function preprocessTexts(texts: readonly string[], options: Partial<PreprocessOptions>): string[][] {
  const preprocess = createPreprocessor(options);
  return texts.map((text) => preprocess(text));
}

export interface CorpusQuality extends Quality {
  readonly rows: number;
  readonly groups: number;
  /** Seconds spent labelling and routing (the measurement's own cost, not a quality). */
  readonly seconds: number;
}

/** Labels the documents without the truth, trains the router on the labels, then scores both against the truth. */
export function measureQuality(
  docs: TokenizedDocs,
  truth: Int32Array,
  nGroups: number,
  settings: Omit<QualitySettings, "preprocess">,
): CorpusQuality {
  const started = performance.now();
  const fitted = fitTopics(docs, settings.labelling);
  const argmaxTopics = assignTopics(fitted.nmf.w, fitted.k, 0).topic;
  const topics = assignTopics(fitted.nmf.w, fitted.k, settings.labelling.assignThreshold).topic;
  const halves = stratifiedSplit(truth, 0.5, LABELLING_SPLIT_SEED);
  const pick = (rows: Int32Array) => ({
    topics: Int32Array.from(rows, (i) => argmaxTopics[i]!),
    truth: Int32Array.from(rows, (i) => truth[i]!),
  });
  const assigned = topics.filter((t) => t >= 0).length;
  const labelling: LabellingQuality = {
    k: fitted.k,
    kCurve: fitted.selection?.curve ?? null,
    merge: fitted.merge && withoutGroups(fitted.merge),
    argmax: heldOutRouting(pick(halves.train), pick(halves.test), nGroups),
    coverage: assigned / docs.length,
    seconds: fitted.seconds,
  };
  const routing = measureRouting(docs, topics, truth, nGroups, settings.routing);
  return {
    rows: docs.length,
    groups: nGroups,
    labelling,
    routing,
    seconds: (performance.now() - started) / 1000,
  };
}

function withoutGroups({ groupOf: _, ...merge }: TopicMerge): Omit<TopicMerge, "groupOf"> {
  return merge;
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

  const heldOutRows = Int32Array.from(split.test, (r) => labelled[r]!);
  const unassignedRows = Int32Array.from(topics.keys()).filter((i) => topics[i]! < 0);
  const unseenRows = Int32Array.from([...heldOutRows, ...unassignedRows]);
  const predicted = router(unseenRows);
  const truthOf = (rows: Int32Array) => Int32Array.from(rows, (i) => truth[i]!);
  const learn = { topics: yTrain, truth: truthOf(trainRows) };
  const heldOut = heldOutRouting(
    learn,
    { topics: predicted.subarray(0, heldOutRows.length), truth: truthOf(heldOutRows) },
    nGroups,
  );
  const unseen = heldOutRouting(learn, { topics: predicted, truth: truthOf(unseenRows) }, nGroups);
  return {
    classes: classTopics.length,
    trainRows: trainRows.length,
    heldOut,
    unseen: { rows: unseen.rows, accuracy: unseen.accuracy, macroF1: unseen.macroF1 },
  };
}

/**
 * The supervised ceiling: the same router trained on the true groups, scored on a held-out split
 * (with always answering the largest group, the floor any router must clear).
 */
export function measureCeiling(
  docs: TokenizedDocs,
  truth: Int32Array,
  nGroups: number,
  settings: RoutingSettings,
): HeldOutRouting {
  const split = stratifiedSplit(truth, settings.testShare, settings.seed);
  const yTrain = Int32Array.from(split.train, (i) => truth[i]!);
  const router = trainRouter(docs, split.train, yTrain, nGroups, settings);
  // Each class is its own group: the map is the identity, learned from the training rows.
  return heldOutRouting(
    { topics: yTrain, truth: yTrain },
    { topics: router(split.test), truth: Int32Array.from(split.test, (i) => truth[i]!) },
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
