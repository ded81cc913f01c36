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
