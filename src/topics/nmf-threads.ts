/**
 * Runs the parts of an NMF sweep (src/topics/nmf-sweep.ts) on the calling thread plus helper worker
 * threads, synchronously: the caller hands out a task through a shared control array, runs its own
 * parts, and blocks with Atomics.wait until the helpers are done. Parts are assigned round-robin,
 * and their results do not depend on which thread ran them.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../util/worker.js";
import { PARTS, runPart, type SweepState, type SweepTask } from "./nmf-sweep.js";

/** Indexes into the control array. */
export const CONTROL = { generation: 0, task: 1, done: 2 } as const;
/** Task codes; an index past the end tells the helpers to stop. */
export const TASKS: readonly SweepTask[] = ["w", "h"];

export const defaultNmfThreads = (): number => Math.min(PARTS, availableParallelism());

export interface SweepRunner {
  run(task: SweepTask): void;
  close(): void;
}

/** A runner on `threads` threads in all (the caller's included); 1 runs every part in the caller. */
export function startSweepRunner(state: SweepState, threads: number): SweepRunner {
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const helpers = Math.min(threads, PARTS) - 1;
  if (helpers === 0) {
    return {
      run: (task) => {
        for (let part = 0; part < PARTS; part++) runPart(state, task, part);
      },
      close: () => {},
    };
  }
  const control = new Int32Array(new SharedArrayBuffer(3 * 4));
  const script = workerScript(import.meta.url, "nmf-worker");
  const workers = Array.from({ length: helpers }, (_, h) => {
    const worker = new Worker(script);
    worker.postMessage({ control, state, thread: h + 1, threads: helpers + 1 });
    worker.unref();
    return worker;
  });
  const signal = (task: number): void => {
    Atomics.store(control, CONTROL.task, task);
    Atomics.store(control, CONTROL.done, 0);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
  };
  return {
    run: (task) => {
      signal(TASKS.indexOf(task));
      // Helpers still starting up pick the task up as soon as they listen; the caller does not wait.
      for (let part = 0; part < PARTS; part += helpers + 1) runPart(state, task, part);
      for (let done = Atomics.load(control, CONTROL.done); done < helpers; ) {
        Atomics.wait(control, CONTROL.done, done);
        done = Atomics.load(control, CONTROL.done);
      }
    },
    close: () => {
      signal(TASKS.length);
      for (const worker of workers) void worker.terminate();
    },
  };
}
