import { createHash } from "node:crypto";
import type { Manifest } from "../store/publish.js";
import type { ArtifactStore } from "../store/store.js";
import { type PreprocessedTicket, readOutputs } from "./dataset.js";
import { preprocessedPartition } from "./models.js";

/**
 * relabel's default sample size: a date with more tickets has its topics (k search and fit) fitted on a
 * stratified sample of this many, and every ticket is projected on them. Every panel corpus (the
 * largest, the IT tickets, has 47,837) is below it, so their topics are those of the full fit; above it
 * the fit's cost stops growing with the date. Chosen by bench/relabel-sample.ts (docs/topics.md).
 */
export const FIT_SAMPLE_TICKETS = 50_000;

/** The tickets of a preprocessed partition as its manifests count them; null when one does not say. */
export function partitionTickets(manifests: readonly Manifest[]): number | null {
  let total = 0;
  for (const manifest of manifests) {
    const tickets = manifest.stats.tickets;
    if (typeof tickets !== "number") return null;
    total += tickets;
  }
  return total;
}

/** A date's preprocessed partition with a stratified sample of its tickets (see stratifiedSample). */
export async function preprocessedSample(store: ArtifactStore, date: string, maxTickets: number) {
  const partition = await preprocessedPartition(store, date);
  return { ...partition, ...(await stratifiedSample(store, partition.manifests, maxTickets)) };
}

/**
 * A stratified sample of a date's preprocessed tickets, read in two streaming passes so that only the
 * sample is ever held in memory: the topic model of a corpus larger than one pod is fitted on it.
 *
 * Strata are the raw files the tickets came from (`source`: a day of one export), so every day and
 * source keeps its share: each gets its proportional quota (largest remainders, ties by name). Within a
 * stratum the tickets kept are those with the smallest hash of their id, a uniform choice that does
 * not depend on how the date was sharded or in what order the shards are read. The sample comes back
 * ordered by (source, position), so the fit on it is the same whatever the shard count.
 */
export async function stratifiedSample(
  store: ArtifactStore,
  manifests: Manifest[],
  maxTickets: number,
): Promise<{ tickets: PreprocessedTicket[]; total: number; strata: number }> {
  const counts = new Map<string, number>();
  for await (const ticket of readOutputs<PreprocessedTicket>(store, manifests, "tickets.jsonl"))
    counts.set(ticket.source, (counts.get(ticket.source) ?? 0) + 1);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const quotas = proportionalQuotas(counts, Math.min(maxTickets, total));
  const kept = new Map([...quotas.keys()].map((source) => [source, new MaxHeap()]));
  for await (const ticket of readOutputs<PreprocessedTicket>(store, manifests, "tickets.jsonl")) {
    const quota = quotas.get(ticket.source)!;
    if (quota > 0) kept.get(ticket.source)!.offer({ key: idHash(ticket.id), ticket }, quota);
  }
  const tickets = [...kept.values()]
    .flatMap((heap) => heap.items.map((item) => item.ticket))
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.position - b.position));
  return { tickets, total, strata: counts.size };
}

/** `size` split over the strata in proportion to their counts: floors, then the largest remainders. */
export function proportionalQuotas(counts: ReadonlyMap<string, number>, size: number): Map<string, number> {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const names = [...counts.keys()].sort();
  const exact = names.map((name) => (total === 0 ? 0 : (size * counts.get(name)!) / total));
  const quotas = new Map(names.map((name, i) => [name, Math.floor(exact[i]!)]));
  let left = size - [...quotas.values()].reduce((sum, n) => sum + n, 0);
  const byRemainder = names
    .map((name, i) => ({ name, remainder: exact[i]! - Math.floor(exact[i]!) }))
    .sort((a, b) => b.remainder - a.remainder || (a.name < b.name ? -1 : 1));
  for (const { name } of byRemainder) {
    if (left-- <= 0) break;
    quotas.set(name, quotas.get(name)! + 1);
  }
  return quotas;
}

/** 48 bits of the id's SHA-256: uniform, and the same for a ticket wherever it is read. */
function idHash(id: string): number {
  return createHash("sha256").update(id).digest().readUIntBE(0, 6);
}

interface Candidate {
  key: number;
  ticket: PreprocessedTicket;
}

/** Before: a smaller hash, then (on a 48-bit tie) the earlier position in the source. */
function before(a: Candidate, b: Candidate): boolean {
  return a.key < b.key || (a.key === b.key && a.ticket.position < b.ticket.position);
}

/** The `quota` smallest candidates seen, as a binary max-heap (the largest kept on top, to be replaced). */
class MaxHeap {
  readonly items: Candidate[] = [];

  offer(item: Candidate, quota: number): void {
    const items = this.items;
    if (items.length < quota) {
      items.push(item);
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!before(items[parent]!, items[i]!)) break;
        [items[parent], items[i]] = [items[i]!, items[parent]!];
        i = parent;
      }
      return;
    }
    if (!before(item, items[0]!)) return;
    items[0] = item;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < items.length && before(items[largest]!, items[left]!)) largest = left;
      if (right < items.length && before(items[largest]!, items[right]!)) largest = right;
      if (largest === i) break;
      [items[largest], items[i]] = [items[i]!, items[largest]!];
      i = largest;
    }
  }
}
