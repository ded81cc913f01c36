import { writeFileSync } from "node:fs";
import type { RoutingModel } from "../src/classify/model.js";

/**
 * Writes a routing model's parameters (vocabulary, idf, n-gram range, weights, intercepts, taxonomy)
 * as the JSON bench/api_peer.py loads into scikit-learn, so a Python peer holds the identical model.
 */
export function writePeerModel(path: string, model: RoutingModel): void {
  writeFileSync(
    path,
    JSON.stringify({
      version: model.version,
      vocabulary: model.tfidf.vocabulary,
      idf: Array.from(model.tfidf.idf),
      ngramMin: model.tfidf.options.ngramMin,
      ngramMax: model.tfidf.options.ngramMax,
      sublinearTf: model.tfidf.options.sublinearTf,
      weights: Array.from(model.classifier.weights),
      intercept: Array.from(model.classifier.intercept),
      classTopics: model.classTopics,
      topics: model.taxonomy.topics.map((t) => ({ id: t.id, name: t.name, department: t.department })),
      reviewThreshold: model.taxonomy.reviewThreshold,
    }),
  );
}
