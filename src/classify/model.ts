import { seal, unseal } from "../store/sealed.js";
import type { PreprocessOptions } from "../text/preprocess.js";
import type { Taxonomy } from "../topics/taxonomy.js";
import type { TfidfModel } from "../topics/tfidf.js";
import { InputError } from "../util/errors.js";
import type { LogisticModel } from "./logistic.js";
import { checkLexiconShape, type ModelLexicon } from "./model-lexicon.js";
import { type RouterInput, routerInputs } from "./router-input.js";

/**
 * The routing model artifact (DESIGN.md "Model artifact"): everything needed to go from ticket text
 * to topic and department, in one versioned, checksummed file.
 */
export interface RoutingModel {
  version: string;
  /** Logical date of the training run. */
  date: string;
  createdAt: string;
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

export const routingModelFormat = "inflow.routing-model";
const schemaVersions = [1];

export function sealRoutingModel(model: RoutingModel): string {
  return seal(routingModelFormat, 1, model);
}

/** Opens and checks a routing model; a corrupted, truncated or inconsistent file is refused with a clear error. */
export function openRoutingModel(text: string, source: string): RoutingModel {
  const model = unseal<RoutingModel>(text, routingModelFormat, schemaVersions, source);
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
