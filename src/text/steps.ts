/**
 * Text → terms as resumable work: each `yield` marks a point between bounded pieces of work (a
 * tagging) where a server may answer other requests before going on. The result never depends on
 * where or whether the caller paused.
 */
export type TermSteps = (text: string) => Generator<void, string[], undefined>;

/** Runs steps to the end without pausing (batch callers). */
export function runSteps<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
