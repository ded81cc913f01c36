/**
 * Worker side of src/topics/nmf-threads.ts: waits on the shared control word for a task, runs its
 * parts of the sweep, and reports completion through the same control array.
 */
import { parentPort } from "node:worker_threads";
import { PARTS, runPart, type SweepState } from "./nmf-sweep.js";
import { CONTROL, TASKS } from "./nmf-threads.js";

interface Start {
  control: Int32Array;
  state: SweepState;
  /** This worker's index among the helper threads (1-based: the calling thread is 0). */
  thread: number;
  threads: number;
}

parentPort!.on("message", ({ control, state, thread, threads }: Start) => {
  // Starts from generation 0, so a task handed out while this worker was still starting is not missed.
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.generation, seen);
    seen = Atomics.load(control, CONTROL.generation);
    const task = TASKS[Atomics.load(control, CONTROL.task)];
    if (task === undefined) break;
    for (let part = thread; part < PARTS; part += threads) runPart(state, task, part);
    Atomics.add(control, CONTROL.done, 1);
    Atomics.notify(control, CONTROL.done);
  }
});
