/**
 * Runs the parts of fitNmf's work (src/topics/nmf-sweep.ts) on the calling thread plus helper worker
 * threads, synchronously: the caller hands out a task through a shared control array, runs its own
 * parts, and blocks with Atomics.wait until the helpers are done. Parts are assigned round-robin,
 * and their results do not depend on which thread ran them.
 *
 * The helpers are started once per process and kept (unref'd, idle between fits): a fresh worker
 * costs ~100 ms of start-up and runs the kernels unoptimized until V8 warms it, which is a large share
 * of a one-second fit and would be paid again by every refit of the k selection.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../util/worker.js";
import { PARTS, runPart, type SweepState, type SweepTask } from "./nmf-sweep.js";

/** Indexes into the control array. */
export const CONTROL = { generation: 0, task: 1, done: 2, failed: 3 } as const;
/** Task codes; an index past the end tells the helpers this fit is over. */
export const TASKS: readonly SweepTask[] = ["w", "h", "sketch", "sketchTranspose", "product"];

export const defaultNmfThreads = (): number => Math.min(PARTS, availableParallelism());

export interface SweepRunner {
  run(task: SweepTask): void;
  close(): void;
}

/** Helper workers kept for the life of the process, grown on demand. */
const helperPool: Worker[] = [];

function helpers(count: number): Worker[] {
  while (helperPool.length < count) {
    const worker = new Worker(workerScript(import.meta.url, "nmf-worker"));
    worker.unref();
    // A helper that died (it should not) leaves the pool, so the next fit starts a new one.
    worker.once("exit", () => {
      const at = helperPool.indexOf(worker);
      if (at >= 0) helperPool.splice(at, 1);
    });
    helperPool.push(worker);
  }
  return helperPool.slice(0, count);
}

/** A runner on `threads` threads in all (the caller's included); 1 runs every part in the caller. */
export function startSweepRunner(state: SweepState, threads: number): SweepRunner {
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const count = Math.min(threads, PARTS) - 1;
  if (count === 0) {
    return {
      run: (task) => {
        for (let part = 0; part < PARTS; part++) runPart(state, task, part);
      },
      close: () => {},
    };
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * 4));
  helpers(count).forEach((worker, h) => {
    worker.postMessage({ control, state, thread: h + 1, threads: count + 1 });
  });
  const signal = (task: number): void => {
    Atomics.store(control, CONTROL.task, task);
    Atomics.store(control, CONTROL.done, 0);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
  };
  let closed = false;
  return {
    run: (task) => {
      signal(TASKS.indexOf(task));
      // Helpers still starting up pick the task up as soon as they listen; the caller does not wait.
      for (let part = 0; part < PARTS; part += count + 1) runPart(state, task, part);
      for (let done = Atomics.load(control, CONTROL.done); done < count; ) {
        Atomics.wait(control, CONTROL.done, done);
        done = Atomics.load(control, CONTROL.done);
      }
      if (Atomics.load(control, CONTROL.failed) !== 0)
        throw new Error(`NMF helper thread failed in task "${task}"`);
    },
    close: () => {
      if (closed) return;
      closed = true;
      signal(TASKS.length);
    },
  };
}
