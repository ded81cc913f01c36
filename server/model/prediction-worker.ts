/**
 * Worker side of server/model/prediction-pool.ts: builds each model it is sent exactly as the main
 * thread does (buildServingPredictor) and answers jobs with that model's predictions.
 */
import { parentPort } from "node:worker_threads";
import type { Predictor } from "../../src/classify/model-predict.js";
import type { WorkerReply, WorkerRequest } from "./prediction-pool.js";
import { buildServingPredictor } from "./predictor.js";

/** The served model and its predecessor (requests that started before a swap still name it). */
const kept = 2;
const predictors = new Map<string, Predictor>();

function answer(request: WorkerRequest): WorkerReply {
  if (request.kind === "load") {
    const { predictor } = buildServingPredictor(request.model, request.options);
    predictors.delete(request.fingerprint);
    predictors.set(request.fingerprint, predictor);
    while (predictors.size > kept) predictors.delete(predictors.keys().next().value!);
    return { id: request.id, ok: true, version: predictor.model.version };
  }
  const predictor = predictors.get(request.fingerprint);
  if (!predictor) return { id: request.id, ok: false, message: `model ${request.fingerprint} is not loaded` };
  return { id: request.id, ok: true, predictions: request.texts.map((text) => predictor.predict(text)) };
}

parentPort!.on("message", (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
