import type { Readable } from "node:stream";

/**
 * Reads what a consumer stream already holds, up to `max` records, waiting only when it holds none.
 * The caller awaits its work on a batch before asking for the next, so a slow broker or store stops
 * the reading and the client's bounded buffer stops fetching: backpressure without extra queues.
 * Ends (returns) when the stream ends or closes or `stop` aborts; rethrows the stream's error. With
 * `idleMs`, an empty batch is yielded after that long without records, so a caller can act on time
 * (flush a buffer) while idle.
 */
export async function* batches<T>(
  stream: Readable,
  max: number,
  stop: AbortSignal,
  idleMs?: number,
): AsyncGenerator<T[]> {
  // One 'readable' listener for the whole life of the loop, as Node's own async iterator keeps:
  // attaching and removing one per wait lost wake-ups and stalled the stream.
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const fail = (error: unknown) => {
    failure = error;
    notify();
  };
  stream.on("readable", notify);
  stream.on("end", notify);
  stream.on("close", notify);
  stream.on("error", fail);
  stop.addEventListener("abort", notify);
  try {
    while (!stop.aborted) {
      if (failure) throw failure;
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
      if (stream.readableEnded || stream.destroyed) return;
      let idle = false;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (idleMs !== undefined) {
          timer = setTimeout(() => {
            idle = true;
            notify();
          }, idleMs);
        }
      });
      clearTimeout(timer);
      if (idle) yield [];
    }
  } finally {
    stream.off("readable", notify);
    stream.off("end", notify);
    stream.off("close", notify);
    stream.off("error", fail);
    stop.removeEventListener("abort", notify);
  }
}
