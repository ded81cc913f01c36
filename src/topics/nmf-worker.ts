/**
 * Worker side of src/topics/nmf-threads.ts: for each fit it is handed, waits on the shared control
 * word for a task, runs its parts, and reports completion (and any failure) through the same control
 * array; after the fit it returns to its event loop for the next one.
 */
import { parentPort } from "node:worker_threads";
import { PARTS, runPart, type SweepState } from "./nmf-sweep.js";
import { CONTROL, TASKS } from "./nmf-threads.js";

interface Fit {
  control: Int32Array;
  state: SweepState;
  /** This worker's index among the threads (1-based: the calling thread is 0). */
  thread: number;
  threads: number;
}

parentPort!.on("message", ({ control, state, thread, threads }: Fit) => {
  // Starts from generation 0, so a task handed out while this worker was still starting is not missed.
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.generation, seen);
    seen = Atomics.load(control, CONTROL.generation);
    const task = TASKS[Atomics.load(control, CONTROL.task)];
    if (task === undefined) break;
    try {
      for (let part = thread; part < PARTS; part += threads) runPart(state, task, part);
    } catch {
      // The caller throws; this thread stays usable for the next fit.
      Atomics.store(control, CONTROL.failed, 1);
    }
    Atomics.add(control, CONTROL.done, 1);
    Atomics.notify(control, CONTROL.done);
  }
});
