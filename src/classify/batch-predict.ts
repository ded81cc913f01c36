import { transformTfidf } from "../topics/tfidf.js";
import { predictProba } from "./logistic.js";
import type { RoutingModel } from "./model.js";
import { routerDocs, routerInputOf } from "./router-input.js";

/**
 * Topic ids and confidences of many tickets at once (one sparse matrix, one pass), each read as the
 * model's router input says (`routerDocs`): `texts` (id → raw text) is needed only when it reads words.
 */
export function predictTopicsBatch(
  model: RoutingModel,
  tickets: readonly { id: string; tokens: readonly string[] }[],
  texts: ReadonlyMap<string, string> | null = null,
): { topics: Int32Array; confidence: Float64Array } {
  const docs = routerDocs(routerInputOf(model), tickets, texts, model.preprocessing);
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
