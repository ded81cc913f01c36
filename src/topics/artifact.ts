import { type ModelIdentity, type RecordedIdentity, withoutIdentity } from "../store/model-identity.js";
import { seal, unseal } from "../store/sealed.js";
import type { PreprocessOptions } from "../text/preprocess.js";
import { InputError } from "../util/errors.js";
import { runSteps, type Steps } from "../util/steps.js";
import type { Csr } from "./csr.js";
import { transformNmfSteps } from "./nmf.js";
import { assignTopics } from "./report.js";
import { type TfidfModel, transformTfidf } from "./tfidf.js";

/**
 * A fitted topic model: TF-IDF vocabulary and idf, NMF components, and each component's stable topic id.
 * Its version and publication time are its manifest's, not in the file (model-identity.ts).
 */
export interface TopicModelFile {
  date: string;
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

/** A topic model as opened: the file's content and the identity its manifest records. */
export interface TopicModel extends TopicModelFile, ModelIdentity {}

export const topicModelFormat = "inflow.topic-model";
const schemaVersions = [1];

/** Seals the model's content; an identity it carries stays out of the file. */
export function sealTopicModel(model: TopicModelFile): string {
  return seal(topicModelFormat, 1, withoutIdentity(model));
}

/** Opens and checks a topic model published with `identity` (a version or time an older file holds is ignored). */
export function openTopicModel(text: string, source: string, identity: ModelIdentity): TopicModel {
  const file = unseal<TopicModelFile & RecordedIdentity>(text, topicModelFormat, schemaVersions, source);
  const model: TopicModel = { ...withoutIdentity(file), ...identity };
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

/** Topic ids (not component rows) per document; -1 when unassigned. */
export interface TopicAssignment {
  topic: Int32Array;
  confidence: Float64Array;
}

/** Each document's strongest component (see `assignTopics`), translated to its stable topic id. */
export function assignTopicIds(
  w: Float64Array,
  k: number,
  topicIds: readonly number[],
  threshold: number,
): TopicAssignment {
  const { topic, confidence } = assignTopics(w, k, threshold);
  return { topic: topic.map((row) => (row < 0 ? -1 : topicIds[row]!)), confidence };
}

/** Topics of new documents with the model's fixed vocabulary and components. */
export function labelDocuments(
  model: TopicModel,
  docs: readonly (readonly string[])[],
): TopicAssignment & { x: Csr; w: Float64Array } {
  return runSteps(labelDocumentsSteps(model, docs));
}

/** labelDocuments, pausing in its projection (src/util/steps.ts): label and assign stop there on a signal. */
export function* labelDocumentsSteps(
  model: TopicModel,
  docs: readonly (readonly string[])[],
): Steps<TopicAssignment & { x: Csr; w: Float64Array }> {
  const x = transformTfidf(model.tfidf, docs);
  const w = yield* transformNmfSteps(x, model.components, model.k);
  return { ...assignTopicIds(w, model.k, model.topicIds, model.assignThreshold), x, w };
}
