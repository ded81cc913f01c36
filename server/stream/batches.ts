import { once } from "node:events";
import type { Readable } from "node:stream";

/**
 * Reads what a consumer stream already holds, up to `max` records, waiting only when it holds none.
 * The caller awaits its work on a batch before asking for the next, so a slow broker or store stops
 * the reading and the client's bounded buffer stops fetching: backpressure without extra queues.
 * Ends (returns) when the stream closes or `stop` aborts. With `idleMs`, an empty batch is yielded
 * after that long without records, so a caller can act on time (flush a buffer) while idle.
 */
export async function* batches<T>(
  stream: Readable,
  max: number,
  stop: AbortSignal,
  idleMs?: number,
): AsyncGenerator<T[]> {
  while (!stop.aborted && !stream.destroyed) {
    const batch: T[] = [];
    while (batch.length < max) {
      const item = stream.read() as T | null;
      if (item === null) break;
      batch.push(item);
    }
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    // One controller per wait, so the losing listener is removed instead of piling up.
    const waiting = new AbortController();
    const onStop = () => waiting.abort();
    stop.addEventListener("abort", onStop, { once: true });
    let idle = false;
    const timer =
      idleMs === undefined
        ? undefined
        : setTimeout(() => {
            idle = true;
            waiting.abort();
          }, idleMs);
    try {
      const { signal } = waiting;
      await Promise.race([once(stream, "readable", { signal }), once(stream, "close", { signal })]);
    } catch (error) {
      if (!waiting.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      waiting.abort();
      stop.removeEventListener("abort", onStop);
    }
    if (idle) yield [];
  }
}
