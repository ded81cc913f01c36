import { createPreprocessor } from "../text/preprocess.js";
import { topicById } from "../topics/taxonomy.js";
import { transformTfidf } from "../topics/tfidf.js";
import { topContributions } from "./explain.js";
import { predictRowProba } from "./logistic.js";
import type { RoutingModel } from "./model.js";

export interface Prediction {
  topicId: number;
  topicName: string;
  department: string;
  confidence: number;
  needsReview: boolean;
  /** The terms that pushed the prediction most, strongest first. */
  explanation: { term: string; weight: number }[];
  modelVersion: string;
}

export interface Predictor {
  readonly model: RoutingModel;
  predict(text: string): Prediction;
  predictTokens(tokens: readonly string[]): Prediction;
}

/** Text → topic, department, confidence and explanation with one routing model (the predict step and the API). */
export function createPredictor(model: RoutingModel, explainTerms = 5): Predictor {
  const preprocess = createPreprocessor(model.preprocessing);
  const topics = topicById(model.taxonomy);
  const classes = model.classTopics.map((id) => ({
    id,
    name: topics.get(id)?.name ?? `topic ${id}`,
    department: topics.get(id)?.department ?? "Unrouted",
  }));
  const proba = new Float64Array(model.classifier.nClasses);
  const predictTokens = (tokens: readonly string[]): Prediction => {
    const x = transformTfidf(model.tfidf, [tokens]);
    predictRowProba(model.classifier, x.indices, x.data, proba);
    let best = 0;
    for (let k = 1; k < proba.length; k++) if (proba[k]! > proba[best]!) best = k;
    const why = topContributions(model.classifier, x.indices, x.data, best, explainTerms);
    const confidence = proba[best]!;
    return {
      topicId: classes[best]!.id,
      topicName: classes[best]!.name,
      department: classes[best]!.department,
      confidence,
      needsReview: confidence < model.taxonomy.reviewThreshold,
      explanation: Array.from(why.features, (f, i) => ({
        term: model.tfidf.vocabulary[f]!,
        weight: why.contributions[i]!,
      })),
      modelVersion: model.version,
    };
  };
  return { model, predict: (text) => predictTokens(preprocess(text)), predictTokens };
}
