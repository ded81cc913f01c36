import { transformTfidf } from "../topics/tfidf.js";
import { predictProba } from "./logistic.js";
import type { RoutingModel } from "./model.js";

/** Topic ids and confidences of many tokenized tickets at once (one sparse matrix, one pass). */
export function predictTopicsBatch(
  model: RoutingModel,
  docs: readonly (readonly string[])[],
): { topics: Int32Array; confidence: Float64Array } {
  const proba = predictProba(model.classifier, transformTfidf(model.tfidf, docs));
  const K = model.classifier.nClasses;
  const topics = new Int32Array(docs.length);
  const confidence = new Float64Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k]! > proba[i * K + best]!) best = k;
    topics[i] = model.classTopics[best]!;
    confidence[i] = proba[i * K + best]!;
  }
  return { topics, confidence };
}
