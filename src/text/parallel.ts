import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../util/worker.js";
import { createPreprocessor, type PreprocessOptions } from "./preprocess.js";

/** A batch of texts sent to a worker, and its answer. */
export interface BatchRequest {
  id: number;
  texts: string[];
}
export interface BatchResult {
  id: number;
  terms: string[][];
}

/** Turns batches of texts into their terms; answers come back per batch, whatever order they finish in. */
export interface PreprocessPool {
  readonly workers: number;
  run(texts: string[]): Promise<string[][]>;
  close(): Promise<void>;
}

export const defaultWorkers = (): number => availableParallelism();

/**
 * The ticket preprocessor on `workers` threads, each with its own wink model. Each batch goes to the
 * worker with the fewest batches in flight; callers keep output order by awaiting batches in the
 * order they submitted them. One worker runs in this thread (no copying, no second model).
 */
export function startPreprocessPool(options: PreprocessOptions, workers: number): PreprocessPool {
  if (!Number.isInteger(workers) || workers < 1)
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  if (workers === 1) {
    const preprocess = createPreprocessor(options);
    return { workers, run: async (texts) => texts.map(preprocess), close: async () => {} };
  }
  return new WorkerPool(options, workers);
}

interface Pending {
  resolve(terms: string[][]): void;
  reject(error: Error): void;
}

class WorkerPool implements PreprocessPool {
  private readonly threads: Worker[];
  private readonly inFlight: number[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(
    options: PreprocessOptions,
    readonly workers: number,
  ) {
    const script = workerScript(import.meta.url, "parallel-worker");
    this.threads = Array.from({ length: workers }, () => new Worker(script, { workerData: options }));
    this.inFlight = new Array<number>(workers).fill(0);
    this.threads.forEach((thread, w) => {
      thread.on("message", (result: BatchResult) => {
        this.inFlight[w]!--;
        const waiting = this.pending.get(result.id)!;
        this.pending.delete(result.id);
        waiting.resolve(result.terms);
      });
      thread.on("error", (error) => this.fail(error));
      thread.on("exit", (code) => {
        if (code !== 0 && !this.closing)
          this.fail(new Error(`preprocessing worker exited with code ${code}`));
      });
    });
  }

  run(texts: string[]): Promise<string[][]> {
    if (this.failure) return Promise.reject(this.failure);
    let w = 0;
    for (let i = 1; i < this.workers; i++) if (this.inFlight[i]! < this.inFlight[w]!) w = i;
    const id = this.nextId++;
    this.inFlight[w]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: BatchRequest = { id, texts };
      this.threads[w]!.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  /** A worker that dies fails every batch still waiting, and every later one. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}
