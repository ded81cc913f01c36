/** Longest stretch of work between two pauses (a few steps can overrun it by one tagging each). */
const sliceMs = 10;

/**
 * Keeps one request from holding the event loop: work runs in steps, and once `sliceMs` has passed
 * since the last pause the request waits for setImmediate, so probes, small requests and new
 * connections are served in between. Pausing never changes a result, only when it is computed.
 * Until a pause is due nothing is awaited: a ticket whose words are all known (no tagging, so no
 * step) is classified without a single promise.
 */
export class Pacer {
  #since = performance.now();

  /** A promise to await when a pause is due, else undefined (go on at once). */
  pause(): Promise<void> | undefined {
    if (performance.now() - this.#since < sliceMs) return undefined;
    return new Promise<void>(setImmediate).then(() => {
      this.#since = performance.now();
    });
  }

  /** The steps' result: at once when they finished without a pause falling due, else a promise. */
  run<T>(steps: Generator<void, T, undefined>): T | Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      const paused = this.pause();
      if (paused) return paused.then(() => this.run(steps));
    }
  }
}
