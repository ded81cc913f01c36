import type { Prediction } from "../../src/classify/model-predict.js";
import { Pacer } from "../pacer.js";
import type { ServedModel } from "./served.js";

/** A text this long always goes to the worker pool (a never-seen one costs up to ~4 ms to tag at 2,000). */
const inlineTicketChars = 2_000;
/** Main-thread work a request may spend on short texts before its remaining ones go to the pool too. */
const inlineBudgetMs = 5;
/** Texts are sent to a worker in jobs of about this many characters (fewer messages, spread over workers). */
const jobChars = 20_000;

/**
 * The served model's predictions for `texts`, in order. Cheap work stays in the main thread, where
 * it costs no copying: short texts, while the request has spent under `inlineBudgetMs` on them.
 * Everything else (long texts, and batches whose words turn out to be new and slow to tag) runs on
 * the worker pool while the event loop keeps answering. Workers hold the same model version and
 * compute the same predictions, so where a text runs never changes its answer. Without a pool, or
 * when a job fails (a worker lost, the model swapped out twice during the request), the main thread
 * classifies the texts itself, pausing every few milliseconds (server/pacer.ts).
 */
export async function classifyTexts(served: ServedModel, texts: readonly string[]): Promise<Prediction[]> {
  const predictions: Prediction[] = new Array(texts.length);
  const pacer = new Pacer();
  const inline = async (i: number) => {
    await pacer.pause();
    predictions[i] = served.predictor.predictTokens(await pacer.run(served.termSteps(texts[i]!)));
  };
  const offload = served.offload;
  if (!offload) {
    for (let i = 0; i < texts.length; i++) await inline(i);
    return predictions;
  }
  const jobs: Promise<void>[] = [];
  let job: number[] = [];
  let jobLength = 0;
  const flush = () => {
    if (job.length === 0) return;
    const indices = job;
    jobs.push(
      offload(indices.map((i) => texts[i]!)).then(
        (answers) => {
          for (let k = 0; k < indices.length; k++) predictions[indices[k]!] = answers[k]!;
        },
        async () => {
          for (const i of indices) await inline(i);
        },
      ),
    );
    job = [];
    jobLength = 0;
  };
  const send = (i: number) => {
    job.push(i);
    jobLength += texts[i]!.length;
    if (jobLength >= jobChars) flush();
  };
  // Long texts first, so workers start on them while short ones are classified here.
  for (let i = 0; i < texts.length; i++) if (texts[i]!.length >= inlineTicketChars) send(i);
  flush();
  const started = performance.now();
  for (let i = 0; i < texts.length; i++) {
    if (texts[i]!.length >= inlineTicketChars) continue;
    if (performance.now() - started < inlineBudgetMs) await inline(i);
    else send(i);
  }
  flush();
  await Promise.all(jobs);
  return predictions;
}
