import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RoutingModel } from "../src/classify/model.js";
import { type RouterInput, routerInputOf, surfaceWordPrefix } from "../src/classify/router-input.js";
import { buildRoutingModel, writeRoutingModel } from "../test/harness/routing-model-fixture.js";

/**
 * Writes a routing model's parameters (vocabulary, idf, n-gram range, weights, intercepts, taxonomy)
 * as the JSON bench/api_peer.py loads into scikit-learn, so a Python peer holds the identical model.
 * A model whose router reads surface words alone gives its vocabulary without their prefix, and the
 * peer then tokenizes as router-input.ts does.
 */
export function writePeerModel(path: string, model: RoutingModel): void {
  if (routerInputOf(model) === "terms+words") throw new Error("the peer reads terms or words, not both");
  const words = routerInputOf(model) === "words";
  const unprefixed = (term: string) =>
    term
      .split(" ")
      .map((word) => word.slice(surfaceWordPrefix.length))
      .join(" ");
  writeFileSync(
    path,
    JSON.stringify({
      version: model.version,
      analyzer: words ? "words" : "terms",
      vocabulary: words ? model.tfidf.vocabulary.map(unprefixed) : model.tfidf.vocabulary,
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
 * and the peer's parameters. `routerInput` "words": a router that reads surface words alone (a
 * deployment where people's labels chose them), which needs no lexicon.
 */
export async function writeBenchModels(
  dir: string,
  lexicon = true,
  routerInput: RouterInput = "terms",
): Promise<{ model: RoutingModel; modelPath: string; peerModelPath: string }> {
  const model = buildRoutingModel({
    tickets: 2000,
    seed: 42,
    version: "bench-1",
    lexicon: lexicon && routerInput !== "words",
    routerInput,
  });
  const modelPath = join(dir, "model.json");
  await writeRoutingModel(modelPath, model);
  const peerModelPath = join(dir, "peer-model.json");
  writePeerModel(peerModelPath, model);
  return { model, modelPath, peerModelPath };
}
