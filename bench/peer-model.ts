import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RoutingModel } from "../src/classify/model.js";
import { buildRoutingModel, writeRoutingModel } from "../test/harness/routing-model-fixture.js";

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

/**
 * The benches' shared model (2 000 fixture tickets, seed 42) in `dir`: Inflow's file, with the serving
 * lexicon of its training words as `train` ships it (`lexicon: false` leaves it out, for comparisons),
 * and the peer's parameters.
 */
export async function writeBenchModels(
  dir: string,
  lexicon = true,
): Promise<{ model: RoutingModel; modelPath: string; peerModelPath: string }> {
  const model = buildRoutingModel({ tickets: 2000, seed: 42, version: "bench-1", lexicon });
  const modelPath = join(dir, "model.json");
  await writeRoutingModel(modelPath, model);
  const peerModelPath = join(dir, "peer-model.json");
  writePeerModel(peerModelPath, model);
  return { model, modelPath, peerModelPath };
}
