import { seal, unseal } from "../store/sealed.js";
import type { PreprocessOptions } from "../text/preprocess.js";
import { InputError } from "../util/errors.js";
import type { Csr } from "./csr.js";
import { transformNmf } from "./nmf.js";
import { type TfidfModel, transformTfidf } from "./tfidf.js";

/** A fitted topic model: TF-IDF vocabulary and idf, NMF components, and each component's stable topic id. */
export interface TopicModel {
  version: string;
  date: string;
  createdAt: string;
  preprocessing: PreprocessOptions;
  tfidf: TfidfModel;
  k: number;
  /** H: k × vocabulary, row-major. */
  components: Float64Array;
  /** Stable topic id of each component row (kept across refits by matching). */
  topicIds: number[];
  /** A ticket whose top topic holds less than this share of its topic weight is unassigned. */
  assignThreshold: number;
  reconstructionError: number;
  trainingData: { sha256: string; rows: number };
}

export const topicModelFormat = "inflow.topic-model";
const schemaVersions = [1];

export function sealTopicModel(model: TopicModel): string {
  return seal(topicModelFormat, 1, model);
}

export function openTopicModel(text: string, source: string): TopicModel {
  const model = unseal<TopicModel>(text, topicModelFormat, schemaVersions, source);
  const vocabulary = model.tfidf?.vocabulary?.length ?? -1;
  if (
    !(model.components instanceof Float64Array) ||
    model.components.length !== model.k * vocabulary ||
    model.topicIds.length !== model.k ||
    model.tfidf.idf.length !== vocabulary
  ) {
    throw new InputError(`${source}: topic model shapes are inconsistent`);
  }
  return model;
}

export interface TopicAssignment {
  /** Topic id per document, -1 when unassigned. */
  topic: Int32Array;
  /** The top topic's share of the document's topic weight (0 when the document has none). */
  confidence: Float64Array;
}

/**
 * Each document's topic: the component with the largest weight, kept when its share of the row's
 * total weight reaches the threshold; documents with no weight at all (no known term) are unassigned.
 */
export function assignTopics(
  w: Float64Array,
  k: number,
  topicIds: readonly number[],
  threshold: number,
): TopicAssignment {
  const rows = w.length / k;
  const topic = new Int32Array(rows);
  const confidence = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let sum = 0;
    for (let t = 0; t < k; t++) {
      const value = w[i * k + t]!;
      sum += value;
      if (value > w[i * k + best]!) best = t;
    }
    const share = sum > 0 ? w[i * k + best]! / sum : 0;
    confidence[i] = share;
    topic[i] = sum > 0 && share >= threshold ? topicIds[best]! : -1;
  }
  return { topic, confidence };
}

/** Topics of new documents with the model's fixed vocabulary and components. */
export function labelDocuments(
  model: TopicModel,
  docs: readonly (readonly string[])[],
): TopicAssignment & { x: Csr } {
  const x = transformTfidf(model.tfidf, docs);
  const w = transformNmf(x, model.components, model.k);
  return { ...assignTopics(w, model.k, model.topicIds, model.assignThreshold), x };
}
