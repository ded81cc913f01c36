import type { Consumer } from "@platformatic/kafka";
import type { Logger } from "../../src/util/log.js";
import type { ModelHolder } from "../model/holder.js";
import type { StreamMetrics } from "./metrics.js";

/** How often the consumer's lag is sampled into inflow_stream_consumer_lag. */
const lagSampleMs = 5000;
/** SIGTERM must end the pod before Kubernetes' grace period (30 s) even with the broker gone. */
const closeTimeoutMs = 15_000;

/**
 * Blocks until the holder has a model (checking every poll), so the member joins the group only
 * when it can route. Returns false if `stop` aborts first.
 */
export async function waitForModel(holder: ModelHolder, log: Logger, stop: AbortSignal): Promise<boolean> {
  while (!stop.aborted) {
    await holder.refresh();
    if (holder.current) return true;
    log.warn("no valid model yet; not joining the group until one loads");
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 5000);
      stop.addEventListener("abort", () => resolve(clearTimeout(timer)), { once: true });
    });
  }
  return false;
}

export function startLagSampling(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  topic: string,
  group: string,
  metrics: StreamMetrics,
): NodeJS.Timeout {
  const sample = () => {
    consumer.getLag({ topics: [topic] }, (error, lag) => {
      if (error || !lag) return;
      for (const [name, partitions] of lag) {
        partitions.forEach((value, partition) => {
          if (value >= 0n)
            metrics.lag.set({ group, topic: name, partition: String(partition) }, Number(value));
        });
      }
    });
  };
  const timer = setInterval(sample, lagSampleMs);
  timer.unref();
  return timer;
}

/**
 * Awaits `joining` (the consumer's connect and group join, which the client retries forever while no
 * broker answers) unless `stop` aborts first: then null, and the caller closes its clients, which
 * ends those retries. Without this a SIGTERM during the wait would not be seen.
 */
export async function unlessStopped<T>(joining: Promise<T>, stop: AbortSignal): Promise<T | null> {
  // Closing the clients rejects the abandoned join ("client closed while retrying"): expected.
  joining.catch(() => {});
  if (stop.aborted) return null;
  let onAbort = () => {};
  const stopped = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    stop.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([joining, stopped]);
  } finally {
    stop.removeEventListener("abort", onAbort);
  }
}

/** Closes in order (stream, then consumer: commits are done and the group is left, then producer), bounded. */
export async function closeWithin(log: Logger, steps: (() => Promise<unknown>)[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timed out">((resolve) => {
    timer = setTimeout(() => resolve("timed out"), closeTimeoutMs);
  });
  const close = (async () => {
    for (const step of steps) {
      await step().catch((error) => log.warn({ err: error }, "close step failed"));
    }
    return "closed" as const;
  })();
  const result = await Promise.race([close, timeout]);
  clearTimeout(timer);
  if (result === "timed out") log.warn({ seconds: closeTimeoutMs / 1000 }, "clients did not close in time");
}
