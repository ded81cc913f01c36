import type { Csr } from "./csr.js";
import { type NmfModel, reconstructionError, transformNmf } from "./nmf.js";
import { assignTopics } from "./report.js";
import { ROWS_PER_TOPIC } from "./select-k.js";

export const PRUNE_RULE =
  `drop the topics that label fewer than ${ROWS_PER_TOPIC} tickets (the range's own bound: a topic is a pattern, ` +
  "not a handful of tickets), never below the range's smallest k; every ticket is projected again on the others";

export interface TopicPrune {
  readonly rule: string;
  /** Topics of the fit at the chosen k. */
  readonly fromK: number;
  /** Topics kept. */
  readonly k: number;
  readonly minTickets: number;
}

/**
 * The k search keeps the largest stable k under a cap of one topic per 20 tickets of a half, whatever the
 * corpus's size; on a corpus whose groups are fewer than that cap, some of the chosen k's topics label a
 * handful of tickets each (banking77 at k 181: 32 topics under 40 tickets, clinc150: 5). Drops those topics
 * (the smallest first, keeping at least `minK`) and projects every ticket on the topics kept, with H fixed
 * as `label` projects new tickets. O(rows·k) plus one projection. Measured on the panel (docs/quality.md,
 * sixth round).
 */
export function pruneSmallTopics(
  x: Csr,
  model: NmfModel,
  minK: number,
  minTickets = ROWS_PER_TOPIC,
): { nmf: NmfModel; prune: TopicPrune } {
  const { k, cols } = model;
  const size = new Int32Array(k);
  for (const t of assignTopics(model.w, k).topic) if (t >= 0) size[t]!++;
  const bySize = Array.from({ length: k }, (_, t) => t).sort((a, b) => size[b]! - size[a]! || a - b);
  const keep = bySize.filter((t, rank) => rank < minK || size[t]! >= minTickets).sort((a, b) => a - b);
  const prune: TopicPrune = { rule: PRUNE_RULE, fromK: k, k: keep.length, minTickets };
  if (keep.length === k) return { nmf: model, prune };
  const h = new Float64Array(keep.length * cols);
  for (const [i, t] of keep.entries()) h.set(model.h.subarray(t * cols, (t + 1) * cols), i * cols);
  const w = transformNmf(x, h, keep.length);
  return {
    nmf: { ...model, k: keep.length, w, h, reconstructionError: reconstructionError(x, w, h, keep.length) },
    prune,
  };
}
