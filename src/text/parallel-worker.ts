/**
 * Worker side of src/text/parallel.ts: loads the wink model once, then answers each batch of texts
 * with their terms, in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BatchRequest, BatchResult } from "./parallel.js";
import { createPreprocessor, type PreprocessOptions } from "./preprocess.js";

const preprocess = createPreprocessor(workerData as PreprocessOptions);
parentPort!.on("message", (request: BatchRequest) => {
  const result: BatchResult = { id: request.id, terms: request.texts.map(preprocess) };
  parentPort!.postMessage(result);
});
