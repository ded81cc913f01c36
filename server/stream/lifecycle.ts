import type { Consumer, MessagesStream } from "@platformatic/kafka";
import type { Logger } from "../../src/util/log.js";
import type { ModelHolder } from "../model/holder.js";
import { freshConnectionAnswers } from "./broker-probe.js";
import type { StreamConfig } from "./config.js";
import type { StreamMetrics } from "./metrics.js";
import { type StallWatchdog, unreadElsewhere, waitingRecords } from "./watchdog.js";

/** How often the consumer's lag is sampled into inflow_stream_consumer_lag. */
const lagSampleMs = 5000;
/** A probe's answer is in before the next sample. */
const probeMs = 4000;
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

/** What the lag sampler reads for and reports to. */
export interface LagSampling {
  topic: string;
  group: string;
  metrics: StreamMetrics;
  watchdog: StallWatchdog;
  /** Whether the broker answers a fresh connection from this process within `withinMs` (freshConnectionAnswers). */
  brokerAnswers: (withinMs: number) => Promise<boolean>;
  log?: Logger;
}

/** A member's sampling of the input topic's lag for `group`, the broker probed on a fresh connection. */
export function inputLagSampling(
  config: StreamConfig,
  group: string,
  metrics: StreamMetrics,
  watchdog: StallWatchdog,
  log?: Logger,
): LagSampling {
  return {
    topic: config.topicIn,
    group,
    metrics,
    watchdog,
    brokerAnswers: (withinMs) => freshConnectionAnswers(config, withinMs),
    log,
  };
}

/**
 * Every few seconds: the lag of this member's partitions (end offset − committed offset, what
 * inflow_stream_consumer_lag shows) into the metrics, and into the stall watchdog the records nobody is
 * reading: past where the client reads on this member's partitions (waitingRecords) — a member still
 * working through what it fetched, or the sink holding records until its next flush, is not stalled —
 * plus, read from the broker, the group's backlog on the other partitions while its commits there stand
 * still (unreadElsewhere: no member reads them, e.g. this one missed a rebalance and holds none; read
 * beside the sample and counted in the next, so a commits listing that never ends cannot blind the
 * watchdog to the member's own backlog). One end-offset listing at a time: one still unanswered at the
 * next sample (or failed) is an unanswered sample, and the broker is then asked on a fresh connection
 * (one probe at a time) whether it answers at all: the watchdog tells an outage (no answer anywhere,
 * never a stall) from a wedged client (answered elsewhere, still pending here).
 */
export function startLagSampling(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
  { topic, group, metrics, watchdog, brokerAnswers, log }: LagSampling,
): NodeJS.Timeout {
  let listing = false;
  let listingCommits = false;
  // The group's committed offsets at the previous answered commits listing.
  let previousCommits: bigint[] | undefined;
  // unreadElsewhere from the last answered commits listing, counted in the next sample only.
  let elsewhere = 0n;
  let probing = false;
  let failed = false;
  const unanswered = () => {
    if (probing) return;
    probing = true;
    brokerAnswers(probeMs).then((answered) => {
      probing = false;
      // Still unanswered here once the fresh connection's answer is in: the client, not the broker.
      watchdog.unanswered(Date.now(), answered && (listing || failed));
      log?.debug(
        { memberId: consumer.memberId, pending: listing, failed, answered },
        "lag sample unanswered",
      );
    });
  };
  const sample = () => {
    if (listing) return unanswered();
    listing = true;
    failed = false;
    consumer.listOffsets({ topics: [topic] }, (error, offsets) => {
      listing = false;
      const ends = offsets?.get(topic);
      if (error || !ends) {
        failed = true;
        return unanswered();
      }
      const partitions = consumer.assignments?.find((a) => a.topic === topic)?.partitions ?? [];
      for (const partition of partitions) {
        const own = stream.offsetsCommitted.get(`${topic}:${partition}`);
        if (own !== undefined)
          metrics.lag.set(
            { group, topic, partition: String(partition) },
            Number((ends[partition] ?? 0n) - own),
          );
      }
      const waiting = waitingRecords(
        partitions,
        ends,
        (partition) => stream.offsetsToFetch.get(`${topic}:${partition}`),
        (partition) => stream.offsetsCommitted.get(`${topic}:${partition}`),
      );
      watchdog.sample(waiting + elsewhere, Date.now());
      log?.debug(
        {
          memberId: consumer.memberId,
          generation: consumer.generationId,
          partitions,
          ends: ends.map(String),
          positions: Object.fromEntries([...stream.offsetsToFetch].map(([k, v]) => [k, String(v)])),
          waiting: String(waiting),
          unreadElsewhere: String(elsewhere),
          groupCommitted: previousCommits?.map(String),
          commitsListing: listingCommits,
        },
        "stream state",
      );
      elsewhere = 0n;
      // The group's commits come from its coordinator, which the client may keep asking forever (its
      // retries never end) while the partitions' leaders answer: seen after a broker restart, with the
      // member's join and commits refused alike. The member's own backlog must not wait on that listing.
      if (listingCommits) return;
      listingCommits = true;
      consumer.listCommittedOffsets(
        { topics: [{ topic, partitions: ends.map((_, partition) => partition) }] },
        (commitsError, commits) => {
          listingCommits = false;
          const committed = commits?.get(topic);
          if (commitsError || !committed) return;
          elsewhere = unreadElsewhere(partitions, ends, committed, previousCommits);
          previousCommits = committed;
        },
      );
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

/**
 * `work`'s result, or "timed out" if it is still running `seconds` after `stop` aborted: a member
 * finishing its batch waits for the broker's acknowledgement and commit, which the clients retry
 * forever while no broker answers. Giving up then loses nothing: an offset is committed only after
 * its records' output is acknowledged, so what was not committed is read again by the next member.
 */
export async function withinShutdownGrace<T>(
  work: Promise<T>,
  stop: AbortSignal,
  seconds: number,
): Promise<T | "timed out"> {
  // Abandoned on a timeout: its late failure (clients closed under it) is expected.
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const graceOver = new Promise<"timed out">((resolve) => {
    onAbort = () => {
      timer = setTimeout(() => resolve("timed out"), seconds * 1000);
    };
    if (stop.aborted) onAbort();
    else stop.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, graceOver]);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener("abort", onAbort);
  }
}
