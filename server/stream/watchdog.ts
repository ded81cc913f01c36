import type { Logger } from "../../src/util/log.js";

/**
 * Ends a member that stopped consuming while its partitions have records waiting: no record read for
 * `stallSeconds` while every sample in that span saw records past its fetch position on its assigned
 * partitions. A safety
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
   * A sample at `now` (ms): the records past this member's fetch position, summed over its assigned
   * partitions, or null when the broker did not answer (the span restarts: waiting for a broker is not
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
      "no record consumed for INFLOW_STREAM_STALL_SECONDS while records wait on this member's partitions: " +
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
