import { Worker } from "node:worker_threads";
import type { RoutingModel } from "../../src/classify/model.js";
import type { Prediction } from "../../src/classify/model-predict.js";
import type { Logger } from "../../src/util/log.js";
import { workerScript } from "../../src/util/worker.js";
import type { ServingOptions } from "./predictor.js";

/** One job: texts to classify with the model `fingerprint`. */
export interface PredictJob {
  id: number;
  fingerprint: string;
  texts: string[];
}

/**
 * Messages to a prediction worker (server/model/prediction-worker.ts). Jobs travel in groups: the
 * jobs of concurrent requests share one message each way, which costs less than a message per job.
 */
export type WorkerRequest =
  | { kind: "load"; id: number; fingerprint: string; model: RoutingModel; options: ServingOptions }
  | { kind: "predict"; jobs: PredictJob[] };

/**
 * A worker's answers, one per load or job: a load answers the model version it built, a job the
 * predictions in order.
 */
export type WorkerReply =
  | { id: number; ok: true; version?: string; predictions?: Prediction[] }
  | { id: number; ok: false; message: string };

/**
 * Serving predictions on worker threads, so long or never-seen texts (tagging costs up to ~2 µs per
 * character) never hold the server's event loop. Every worker holds the same models as the main
 * thread, keyed by the model's fingerprint: a job names the fingerprint its request started with, so
 * a swap never mixes versions inside a request. A worker keeps the two newest models (the served one
 * and its predecessor, for requests still running); a job for an older one fails and its caller
 * classifies it in the main thread instead.
 */
export interface PredictionPool {
  readonly workers: number;
  /**
   * Builds and warms up the model in every running worker; rejects when one cannot (the swap is then
   * refused). Resolves at once when no worker is left: the main thread then classifies everything.
   */
  load(fingerprint: string, model: RoutingModel, options: ServingOptions): Promise<void>;
  /** The texts' predictions by the model `fingerprint`, on the least busy worker. */
  predict(fingerprint: string, texts: string[]): Promise<Prediction[]>;
  /** Characters of text queued on the least busy worker (Infinity when none is running). */
  backlogChars(): number;
  close(): Promise<void>;
}

interface Pending {
  resolve(reply: WorkerReply & { ok: true }): void;
  reject(error: Error): void;
  chars: number;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Characters of text queued on this worker: the work it has left, roughly. */
  queuedChars: number;
  /** Jobs not yet posted: sent together at the end of this turn of the event loop, or once large. */
  outbox: PredictJob[];
  outboxChars: number;
}

/** An outbox holding this many characters is posted at once (a worker waiting for work starts sooner). */
const postChars = 8_000;

export function startPredictionPool(workers: number, log: Logger): PredictionPool {
  if (!Number.isInteger(workers) || workers < 1)
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  return new WorkerPool(workers, log);
}

/** Lost workers replaced over a pool's life; past that, their jobs stay in the main thread. */
const maxRestarts = 3;

class WorkerPool implements PredictionPool {
  readonly #script = workerScript(import.meta.url, "prediction-worker");
  readonly #live: Thread[];
  /** The models loaded last (at most the two a worker keeps), for a replacement worker. */
  #loaded: { fingerprint: string; model: RoutingModel; options: ServingOptions }[] = [];
  #restarts = 0;
  #nextId = 0;
  #closing = false;

  constructor(
    readonly workers: number,
    private readonly log: Logger,
  ) {
    this.#live = Array.from({ length: workers }, () => this.#start());
  }

  async load(fingerprint: string, model: RoutingModel, options: ServingOptions): Promise<void> {
    const replies = await Promise.all(
      this.#live.map((thread) => this.#load(thread, fingerprint, model, options)),
    );
    for (const reply of replies) {
      if (reply.version !== model.version)
        throw new Error(`a prediction worker built version ${reply.version}, not ${model.version}`);
    }
    this.#loaded = [
      ...this.#loaded.filter((m) => m.fingerprint !== fingerprint),
      { fingerprint, model, options },
    ].slice(-2);
  }

  predict(fingerprint: string, texts: string[]): Promise<Prediction[]> {
    if (this.#live.length === 0) return Promise.reject(new Error("no prediction worker is running"));
    const thread = this.#leastBusy()!;
    let chars = 0;
    for (const text of texts) chars += text.length;
    const id = this.#nextId++;
    return new Promise<WorkerReply & { ok: true }>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject, chars });
      thread.queuedChars += chars;
      thread.outbox.push({ id, fingerprint, texts });
      thread.outboxChars += chars;
      if (thread.outboxChars >= postChars) this.#post(thread);
      else if (thread.outbox.length === 1) setImmediate(() => this.#post(thread));
    }).then((reply) => reply.predictions!);
  }

  backlogChars(): number {
    return this.#leastBusy()?.queuedChars ?? Number.POSITIVE_INFINITY;
  }

  #leastBusy(): Thread | undefined {
    let thread = this.#live[0];
    for (const other of this.#live) if (other.queuedChars < thread!.queuedChars) thread = other;
    return thread;
  }

  #post(thread: Thread): void {
    if (thread.outbox.length === 0 || !this.#live.includes(thread)) return;
    thread.worker.postMessage({ kind: "predict", jobs: thread.outbox } satisfies WorkerRequest);
    thread.outbox = [];
    thread.outboxChars = 0;
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#live.map((thread) => thread.worker.terminate()));
  }

  #start(): Thread {
    const thread: Thread = {
      worker: new Worker(this.#script),
      pending: new Map(),
      queuedChars: 0,
      outbox: [],
      outboxChars: 0,
    };
    // Idle workers never keep the process alive; a request waiting on one is kept by its connection.
    thread.worker.unref();
    thread.worker.on("message", (replies: WorkerReply[]) => {
      for (const reply of replies) {
        const waiting = thread.pending.get(reply.id);
        if (!waiting) continue;
        thread.pending.delete(reply.id);
        thread.queuedChars -= waiting.chars;
        if (reply.ok) waiting.resolve(reply);
        else waiting.reject(new Error(reply.message));
      }
    });
    thread.worker.on("error", (error) => this.#lose(thread, error));
    thread.worker.on("exit", (code) => {
      if (!this.#closing) this.#lose(thread, new Error(`prediction worker exited with code ${code}`));
    });
    return thread;
  }

  #load(thread: Thread, fingerprint: string, model: RoutingModel, options: ServingOptions) {
    const id = this.#nextId++;
    // Jobs already in the outbox were for earlier models: post them first, the order the worker sees.
    this.#post(thread);
    return new Promise<WorkerReply & { ok: true }>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject, chars: 0 });
      thread.worker.postMessage({ kind: "load", id, fingerprint, model, options } satisfies WorkerRequest);
    });
  }

  /**
   * A worker that dies fails its waiting jobs (their callers classify them inline) and is replaced by
   * one loaded with the same models (their load messages come before any job it is given).
   */
  #lose(thread: Thread, error: Error): void {
    const at = this.#live.indexOf(thread);
    if (at === -1) return;
    this.#live.splice(at, 1);
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
    const restart = !this.#closing && this.#restarts < maxRestarts;
    this.log.error({ error: error.message, restart }, "prediction worker lost");
    if (!restart) return;
    this.#restarts++;
    const replacement = this.#start();
    for (const { fingerprint, model, options } of this.#loaded) {
      this.#load(replacement, fingerprint, model, options).catch(() => {});
    }
    this.#live.push(replacement);
  }
}
