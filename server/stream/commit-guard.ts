import type { Logger } from "../../src/util/log.js";

/** Records as the guard sees them: where each was read. */
type Read = { topic: string; partition: number; offset: bigint };

/** Offsets `from`..`to` of a partition were never routed by this member, yet a commit would pass them. */
export interface UnroutedGap {
  partition: string;
  from: bigint;
  to: bigint;
}

/**
 * Refuses a commit that would move a partition's committed offset past records this member has not
 * routed. When the member (re)gains a partition, the group's committed offset then (read by the member
 * itself, not from the client's fetch position) is where its routing of that partition must start: if
 * the first record it routes lies beyond it, the records between were skipped (the chaos test once
 * routed and committed offsets 46-287 of a regained partition whose 0-45 nobody routed). Only the start
 * is checked: within one ownership the client's position advances record by record, and a gap there
 * is a transaction marker or compaction, not a loss.
 */
export class CommitGuard {
  constructor(private readonly log?: Logger) {}

  #starts = new Map<string, { start: Promise<bigint>; firstRouted: bigint | null }>();

  /** The member gained `partition` (`topic:partition`); `start` resolves to the group's committed offset (or the earliest). */
  gained(partition: string, start: Promise<bigint>): void {
    start.catch(() => {}); // awaited by unrouted(); a failed read refuses the commit there
    this.#starts.set(partition, { start, firstRouted: null });
  }

  /** Records handed to the producer (in the order read). */
  routed(records: readonly Read[]): void {
    // The hot path: with no regain pending (nearly always) there is nothing to note.
    if (this.#starts.size === 0) return;
    for (const r of records) {
      const entry = this.#starts.get(key(r));
      if (entry && (entry.firstRouted === null || r.offset < entry.firstRouted)) entry.firstRouted = r.offset;
    }
  }

  /**
   * The gaps a commit of `records` would pass ([] = commit). A partition found whole is not checked
   * again until it is gained again.
   */
  async unrouted(records: readonly Read[]): Promise<UnroutedGap[]> {
    const gaps: UnroutedGap[] = [];
    if (this.#starts.size === 0) return gaps;
    for (const partition of new Set(records.map(key))) {
      const entry = this.#starts.get(partition);
      if (!entry || entry.firstRouted === null) continue;
      const start = await entry.start;
      this.log?.info(
        { partition, committed: String(start), firstRouted: String(entry.firstRouted) },
        "regained partition: first routed offset checked against the committed one",
      );
      if (entry.firstRouted > start) gaps.push({ partition, from: start, to: entry.firstRouted - 1n });
      else this.#starts.delete(partition);
    }
    return gaps;
  }
}

function key(r: Read): string {
  return `${r.topic}:${r.partition}`;
}
