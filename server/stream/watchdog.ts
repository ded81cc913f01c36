import type { Logger } from "../../src/util/log.js";

/**
 * Ends a member that stopped consuming while records wait that nobody reads: no record read for
 * `stallSeconds` while every sample in that span saw records past its fetch position on its assigned
 * partitions, or a backlog on the group's other partitions whose commits stood still. A safety
 * net for client stalls we cannot see from outside (see docs/stream.md, "Stall watchdog"): the member
 * stops as on SIGTERM (commit what is acknowledged, leave the group, so its partitions move at once)
 * and exits 1, and Kubernetes restarts it; the uncommitted records are read again, none lost.
 * Lag is only known while the broker answers, so a broker outage never trips it. A member whose own
 * client gets no answer while a fresh connection from this process does (the broker is up, the client
 * is wedged) is ended too, after twice the window (`unanswered`).
 */
export class StallWatchdog {
  #consumed = 0;
  #consumedAtSample = 0;
  #stalledSince: number | null = null;
  #wedgedSince: number | null = null;
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

  /** A sample at `now` (ms) the broker answered: the records nobody reads (waitingRecords + unreadElsewhere). */
  sample(lag: bigint, now: number): void {
    const progressed = this.#progressed();
    this.#wedgedSince = null;
    if (lag <= 0n || progressed || this.stallSeconds <= 0) {
      this.#stalledSince = null;
      return;
    }
    this.#stalledSince ??= now;
    if (now - this.#stalledSince < this.stallSeconds * 1000) return;
    this.#fire(
      { seconds: this.stallSeconds, lag: Number(lag) },
      "no record consumed for INFLOW_STREAM_STALL_SECONDS while records wait that no member reads: " +
        "stopping (commit, leave the group) and exiting 1 so the member is restarted",
    );
  }

  /**
   * A sample at `now` the member's client left unanswered (its listing still pending or failed).
   * `reachedElsewhere`: a fresh connection from this process was answered by the broker meanwhile.
   * Without that the broker is down for everyone (or not known to be up): an outage, which restarts
   * the stall span and never counts. With it, the broker is up and only this client gets no answer;
   * such a client has retried forever on connections the broker closed at once (docs/stream.md), so
   * once that lasts twice the window, without a record read, the member is wedged and ends as on a
   * stall. Twice: the client's own retries (1 s apart) get a fair chance after the broker comes back.
   */
  unanswered(now: number, reachedElsewhere: boolean): void {
    this.#stalledSince = null;
    if (this.#progressed() || !reachedElsewhere || this.stallSeconds <= 0) {
      this.#wedgedSince = null;
      return;
    }
    this.#wedgedSince ??= now;
    if (now - this.#wedgedSince < 2 * this.stallSeconds * 1000) return;
    this.#fire(
      { seconds: 2 * this.stallSeconds },
      "Kafka client wedged: no answer to its own requests for twice INFLOW_STREAM_STALL_SECONDS while a " +
        "fresh connection from this process is answered: stopping and exiting 1 so the member is restarted",
    );
  }

  get fired(): boolean {
    return this.#fired;
  }

  #progressed(): boolean {
    const progressed = this.#consumed !== this.#consumedAtSample;
    this.#consumedAtSample = this.#consumed;
    return progressed;
  }

  #fire(fields: object, message: string): void {
    if (this.#fired) return;
    this.#fired = true;
    this.log.warn(fields, message);
    this.onStall();
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
