/** Longest stretch of work between two pauses (a few steps can overrun it by one tagging each). */
const sliceMs = 10;

/**
 * Keeps one request from holding the event loop: work runs in steps, and once `sliceMs` has passed
 * since the last pause the request waits for setImmediate, so probes, small requests and new
 * connections are served in between. Pausing never changes a result, only when it is computed.
 */
export class Pacer {
  #since = performance.now();

  async pause(): Promise<void> {
    if (performance.now() - this.#since < sliceMs) return;
    await new Promise(setImmediate);
    this.#since = performance.now();
  }

  async run<T>(steps: Generator<void, T, undefined>): Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await this.pause();
    }
  }
}
