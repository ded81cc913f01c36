import {
  fileIdentity,
  type ModelIdentity,
  publishedIdentity,
  type RecordedIdentity,
  withoutIdentity,
} from "../store/model-identity.js";
import { readVerified } from "../store/publish.js";
import { seal, unseal } from "../store/sealed.js";
import type { ArtifactStore, StoredObject } from "../store/store.js";
import type { PreprocessOptions } from "../text/preprocess.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import type { TfidfModel } from "../topics/tfidf.js";
import { InputError } from "../util/errors.js";
import type { LogisticModel } from "./logistic.js";
import { checkLexiconShape, type ModelLexicon } from "./model-lexicon.js";
import { type RouterInput, routerInputs } from "./router-input.js";

/**
 * The routing model artifact (docs/architecture.md, "Model artifacts"): everything needed to go from ticket text
 * to topic and department, in one versioned, checksummed file. Its version and publication time are
 * not in the file (model-identity.ts): a rerun that trains the same router publishes nothing new.
 */
export interface RoutingModelFile {
  /** Logical date of the training run. */
  date: string;
  preprocessing: PreprocessOptions;
  /** What the router reads of a ticket (router-input.ts); absent in older artifacts: the terms. */
  routerInput?: RouterInput;
  tfidf: TfidfModel;
  classifier: LogisticModel;
  /** Topic id of each classifier class. */
  classTopics: number[];
  taxonomy: Taxonomy;
  topicModelVersion: string;
  trainingData: { sha256: string; rows: number; testIdsSha256: string };
  metrics: Record<string, number>;
  /** The serving lexicon's readings of the training words (absent in models trained before it). */
  lexicon?: ModelLexicon;
}

/** A routing model as opened: the file's content and the identity recorded where it was published. */
export interface RoutingModel extends RoutingModelFile, ModelIdentity {}

export const routingModelFormat = "inflow.routing-model";
const schemaVersions = [1];

/** Seals the model's content; an identity it carries stays out of the file. */
export function sealRoutingModel(model: RoutingModelFile): string {
  return seal(routingModelFormat, 1, withoutIdentity(model));
}

/**
 * Opens and checks a routing model; a corrupted, truncated or inconsistent file is refused with a clear
 * error. `identity` is what its publication records; null for a file outside a store (fileIdentity).
 * A version or creation time an older file holds is ignored when the publication says.
 */
export function openRoutingModel(text: string, source: string, identity: ModelIdentity | null): RoutingModel {
  const file = unseal<RoutingModelFile & RecordedIdentity>(text, routingModelFormat, schemaVersions, source);
  const model: RoutingModel = { ...withoutIdentity(file), ...(identity ?? fileIdentity(file, text)) };
  const features = model.tfidf?.vocabulary?.length ?? -1;
  const c = model.classifier;
  if (
    !c ||
    !(c.weights instanceof Float64Array) ||
    !(c.intercept instanceof Float64Array) ||
    c.nFeatures !== features ||
    c.weights.length !== c.nClasses * c.nFeatures ||
    c.intercept.length !== c.nClasses ||
    model.classTopics.length !== c.nClasses ||
    !(model.tfidf.idf instanceof Float64Array) ||
    model.tfidf.idf.length !== features
  ) {
    throw new InputError(`${source}: routing model shapes are inconsistent`);
  }
  checkLexiconShape(model.lexicon, source);
  if (model.routerInput !== undefined && !routerInputs.includes(model.routerInput))
    throw new InputError(`${source}: unknown router input ${JSON.stringify(model.routerInput)}`);
  return model;
}

/**
 * A routing model in the store, its bytes checked against the sha256 its pointer or manifest records,
 * its identity the one its version folder's manifest records.
 */
export async function readPublishedRoutingModel(
  store: ArtifactStore,
  object: Pick<StoredObject, "key" | "sha256">,
  uri: string,
): Promise<RoutingModel> {
  const text = (await readVerified(store, object)).toString("utf8");
  return openRoutingModel(text, uri, await publishedIdentity(store, object.key));
}
