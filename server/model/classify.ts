import type { Prediction } from "../../src/classify/model-predict.js";
import { Pacer } from "../pacer.js";
import type { ServedModel } from "./served.js";

/** A text this long always goes to the worker pool (a never-seen one costs up to ~4 ms to tag at 2,000). */
const inlineTicketChars = 2_000;
/** Main-thread work a request may spend on short texts before its remaining ones go to the pool too. */
const inlineBudgetMs = 5;
/** Texts are sent to a worker in jobs of about this many characters (fewer messages, spread over workers). */
const jobChars = 20_000;

export interface ClassifyOptions {
  /**
   * How the main thread takes part. "budget" (the API, whose main thread must keep answering probes and
   * other requests): it classifies short texts until the request has spent `inlineBudgetMs` on them and
   * sends the rest to the pool. "share" (the stream, whose main thread only moves records): it works as
   * one more worker, taking the short texts the pool has no room for, so no thread waits while another
   * has work.
   */
  mainThread: "budget" | "share";
}

/**
 * The served model's predictions for `texts`, in order. Long texts always go to the worker pool.
 * Short ones stay in the main thread, where they cost no copying, as `options.mainThread` says; with
 * "share", the pool takes short texts while its least busy worker holds less than the workers' share
 * of the request's text (W of W + 1 parts for W workers). The main thread pauses every few
 * milliseconds (server/pacer.ts), so the event loop keeps answering and the pool's answers come in.
 * Workers hold the same model version and compute the same predictions, so where a text runs never
 * changes its answer. Without a pool, or when a job fails (a worker lost, the model swapped out twice
 * during the request), the main thread classifies the texts itself.
 */
export async function classifyTexts(
  served: ServedModel,
  texts: readonly string[],
  options: ClassifyOptions = { mainThread: "budget" },
): Promise<Prediction[]> {
  const predictions: Prediction[] = new Array(texts.length);
  const pacer = new Pacer();
  // Synchronous unless a pause falls due: most tickets cost no promise at all.
  const inline = (i: number): Promise<void> | undefined => {
    const paused = pacer.pause();
    if (paused) return paused.then(() => inline(i));
    const terms = pacer.run(served.termSteps(texts[i]!));
    if (terms instanceof Promise)
      return terms.then((later) => {
        predictions[i] = served.predictor.predictTokens(later);
      });
    predictions[i] = served.predictor.predictTokens(terms);
    return undefined;
  };
  const offload = served.offload;
  if (!offload) {
    for (let i = 0; i < texts.length; i++) {
      const pending = inline(i);
      if (pending) await pending;
    }
    return predictions;
  }
  const jobs: Promise<void>[] = [];
  let job: number[] = [];
  let jobLength = 0;
  const flush = () => {
    if (job.length === 0) return;
    const indices = job;
    jobs.push(
      offload.predict(indices.map((i) => texts[i]!)).then(
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
  let totalChars = 0;
  for (const text of texts) totalChars += text.length;
  const poolShareChars = (totalChars * offload.workers) / (offload.workers + 1);
  // Long texts first, so workers start on them while short ones are classified here.
  for (let i = 0; i < texts.length; i++) if (texts[i]!.length >= inlineTicketChars) send(i);
  flush();
  const started = performance.now();
  for (let i = 0; i < texts.length; i++) {
    if (texts[i]!.length >= inlineTicketChars) continue;
    const toPool =
      options.mainThread === "share"
        ? offload.backlogChars() + jobLength < poolShareChars
        : performance.now() - started >= inlineBudgetMs;
    if (toPool) send(i);
    else {
      flush();
      const pending = inline(i);
      if (pending) await pending;
    }
  }
  flush();
  if (jobs.length > 0) await Promise.all(jobs);
  return predictions;
}
