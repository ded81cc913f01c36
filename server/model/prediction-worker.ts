/**
 * Worker side of server/model/prediction-pool.ts: builds each model it is sent exactly as the main
 * thread does (buildServingPredictor) and answers jobs with that model's predictions.
 */
import { parentPort } from "node:worker_threads";
import type { Predictor } from "../../src/classify/model-predict.js";
import type { PredictJob, WorkerReply, WorkerRequest } from "./prediction-pool.js";
import { buildServingPredictor } from "./predictor.js";

/** The served model and its predecessor (requests that started before a swap still name it). */
const kept = 2;
const predictors = new Map<string, Predictor>();

function load(request: WorkerRequest & { kind: "load" }): WorkerReply {
  const { predictor } = buildServingPredictor(request.model, request.options);
  predictors.delete(request.fingerprint);
  predictors.set(request.fingerprint, predictor);
  while (predictors.size > kept) predictors.delete(predictors.keys().next().value!);
  return { id: request.id, ok: true, version: predictor.model.version };
}

function predict(job: PredictJob): WorkerReply {
  const predictor = predictors.get(job.fingerprint);
  if (!predictor) return { id: job.id, ok: false, message: `model ${job.fingerprint} is not loaded` };
  return { id: job.id, ok: true, predictions: job.texts.map((text) => predictor.predict(text)) };
}

/** Each load or job answered on its own: one failing never fails the others of its message. */
function answer(id: number, work: () => WorkerReply): WorkerReply {
  try {
    return work();
  } catch (error) {
    return { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

parentPort!.on("message", (request: WorkerRequest) => {
  const replies =
    request.kind === "load"
      ? [answer(request.id, () => load(request))]
      : request.jobs.map((job) => answer(job.id, () => predict(job)));
  parentPort!.postMessage(replies);
});
