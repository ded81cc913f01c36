import type { Logger } from "../../src/util/log.js";

/**
 * Ends a member that stopped consuming while records wait that nobody reads: no record read for
 * `stallSeconds` while every sample in that span saw records past its fetch position on its assigned
 * partitions, or a backlog on the group's other partitions whose commits stood still. A safety
 * net for client stalls we cannot see from outside (see docs/stream.md, "Stall watchdog"): the member
 * stops as on SIGTERM (commit what is acknowledged, leave the group, so its partitions move at once)
 * and exits 1, and Kubernetes restarts it; the uncommitted records are read again, none lost.
 * Lag is only known while the broker answers, so a broker outage never trips it.
 */
export class StallWatchdog {
  #consumed = 0;
  #consumedAtSample = 0;
  #stalledSince: number | null = null;
  #fired = false;

  constructor(
    readonly stallSeconds: number,
    private readonly log: Logger,
    private readonly onStall: () => void,
  ) {}

  /** Records the member read from its stream. */
  consumed(records: number): void {
    this.#consumed += records;
  }

  /**
   * A sample at `now` (ms): the records nobody reads (waitingRecords + unreadElsewhere), or null when
   * the broker did not answer (the span restarts: waiting for a broker is not
   * a stall).
   */
  sample(lag: bigint | null, now: number): void {
    const progressed = this.#consumed !== this.#consumedAtSample;
    this.#consumedAtSample = this.#consumed;
    if (lag === null || lag <= 0n || progressed || this.stallSeconds <= 0) {
      this.#stalledSince = null;
      return;
    }
    this.#stalledSince ??= now;
    if (this.#fired || now - this.#stalledSince < this.stallSeconds * 1000) return;
    this.#fired = true;
    this.log.warn(
      { seconds: this.stallSeconds, lag: Number(lag) },
      "no record consumed for INFLOW_STREAM_STALL_SECONDS while records wait that no member reads: " +
        "stopping (commit, leave the group) and exiting 1 so the member is restarted",
    );
    this.onStall();
  }

  get fired(): boolean {
    return this.#fired;
  }
}

/**
 * Records waiting on `partitions` (this member's assignment) past where the client reads them: end
 * offset − fetch position; for a partition the client holds no position for (a join whose offset
 * refresh has not ended: nothing is fetched from it meanwhile), end − the committed offset, or − 0
 * without one. Only whether it is above 0 matters to the watchdog.
 */
export function waitingRecords(
  partitions: readonly number[],
  ends: readonly bigint[],
  position: (partition: number) => bigint | undefined,
  committed: (partition: number) => bigint | undefined,
): bigint {
  let waiting = 0n;
  for (const partition of partitions) {
    const end = ends[partition] ?? 0n;
    const from = position(partition) ?? committed(partition) ?? 0n;
    if (end > from) waiting += end - from;
  }
  return waiting;
}

/**
 * Records no member reads: on the topic's partitions not assigned to this member, end offset − the
 * group's committed offset (from 0 without one), counted only when none of those commits moved since
 * the previous sample (`previous`; none on the first sample: 0). A member reading such a partition
 * commits as it goes, so a backlog whose commits stand still has no reader: this member holds no (or
 * a stale) assignment after a rebalance it missed, or the group lost the partitions' owner. The
 * member's own partitions are waitingRecords'.
 */
export function unreadElsewhere(
  owned: readonly number[],
  ends: readonly bigint[],
  committed: readonly bigint[],
  previous: readonly bigint[] | undefined,
): bigint {
  if (previous === undefined) return 0n;
  const mine = new Set(owned);
  const others = ends.flatMap((_, partition) => (mine.has(partition) ? [] : [partition]));
  const from = (commits: readonly bigint[], partition: number) => {
    const offset = commits[partition] ?? -1n;
    return offset >= 0n ? offset : 0n;
  };
  if (others.some((p) => from(committed, p) !== from(previous, p))) return 0n;
  let unread = 0n;
  for (const partition of others) {
    const end = ends[partition] ?? 0n;
    const commit = from(committed, partition);
    if (end > commit) unread += end - commit;
  }
  return unread;
}
