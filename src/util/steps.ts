/**
 * Long synchronous work written as a generator that pauses after each step (an NMF iteration): run to
 * the end at once, or with the event loop let in between, so a signal handler runs and an AbortSignal
 * can stop the work where it is. Node delivers SIGINT and SIGTERM only to the event loop: a fit that
 * never yields hears Ctrl-C only when it ends (the demo's relabel: 78 s after the signal at load 17).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step now: the same answer as the plain function, for callers with nothing to interrupt. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the steps, letting the event loop in once at least `sliceMs` has passed since it last ran, and
 * stops at the first step after `signal` is aborted: its reason is thrown into the generator (so its
 * `finally` blocks release what it holds) and rejects the returned promise.
 */
export async function runStepsInterruptibly<T>(
  steps: Steps<T>,
  signal: AbortSignal,
  sliceMs = 50,
): Promise<T> {
  let since = performance.now();
  let step = steps.next();
  while (!step.done) {
    if (performance.now() - since >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    step = signal.aborted ? steps.throw(signal.reason) : steps.next();
  }
  return step.value;
}
