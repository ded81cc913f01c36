import { gram } from "../linalg/dense.js";
import { runSteps, type Steps } from "../util/steps.js";
import type { Csr } from "./csr.js";
import { type NmfModel, reconstructionError, transformNmfSteps } from "./nmf.js";

/**
 * Topics whose tickets overlap at least this much (cosine of their ticket-weight columns, average
 * linkage) are one topic split in two. Chosen on the whole development panel (docs/quality.md): the
 * k search keeps the largest stable k, which over-splits; at 0.2 the merge also joins distinct intents
 * of short queries, whose topics share few tickets (clinc150: macro-F1 0.473 → 0.424, under the
 * seed's 0.430), while long tickets, which load on several topics, overlap far more.
 */
export const MERGE_OVERLAP = 0.3;

export const MERGE_RULE =
  "merge the two topics whose tickets overlap most (cosine of their ticket-weight columns, average " +
  `linkage) while that overlap is at least ${MERGE_OVERLAP}; merged topics are the ticket-weighted ` +
  "mean of their parts, and every ticket is projected again on them";

export interface MergeStep {
  /** Topics after this merge. */
  readonly k: number;
  /** Overlap of the two groups merged (average cosine of their topics' ticket-weight columns). */
  readonly overlap: number;
}

export interface TopicMerge {
  readonly rule: string;
  /** Topics of the fit before merging. */
  readonly fromK: number;
  /** Topics after merging. */
  readonly k: number;
  readonly threshold: number;
  /** The whole agglomeration down to one topic (merges below the threshold are reported, not made). */
  readonly curve: MergeStep[];
  /** Merged topic of each fitted topic. */
  readonly groupOf: number[];
}

/**
 * Merges over-split topics. A ticket that loads on two topics ties them; two topics that share their
 * tickets (high cosine of W's columns) are one pattern the fit split. Agglomerates with average
 * linkage (a merged group is as close to another as its parts are on average, so one growing group
 * does not absorb the rest), stops when the closest pair overlaps less than `threshold`, then builds
 * each merged topic as its parts' ticket-weighted mean (unit length) and projects the tickets on the
 * merged topics with H fixed, as new tickets are (transformNmf). O(rows·k² + k³).
 */
export function mergeTopics(
  x: Csr,
  model: NmfModel,
  threshold = MERGE_OVERLAP,
): { nmf: NmfModel; merge: TopicMerge } {
  return runSteps(mergeTopicsSteps(x, model, threshold));
}

/** mergeTopics, pausing in its projection (src/util/steps.ts). */
export function* mergeTopicsSteps(
  x: Csr,
  model: NmfModel,
  threshold = MERGE_OVERLAP,
): Steps<{ nmf: NmfModel; merge: TopicMerge }> {
  const { k, cols } = model;
  const { curve, parentAt } = agglomerate(columnCosines(model.w, model.rows, k), k);
  const merges = curve.filter((step) => step.overlap >= threshold).length;
  const groupOf = groupsAfter(parentAt, k, merges);
  const merged = k - merges;
  const merge: TopicMerge = { rule: MERGE_RULE, fromK: k, k: merged, threshold, curve, groupOf };
  if (merges === 0) return { nmf: model, merge };

  const mass = new Float64Array(k);
  for (let i = 0; i < model.rows; i++) for (let t = 0; t < k; t++) mass[t]! += model.w[i * k + t]!;
  const h = new Float64Array(merged * cols);
  for (let t = 0; t < k; t++) {
    const target = groupOf[t]! * cols;
    for (let j = 0; j < cols; j++) h[target + j]! += mass[t]! * model.h[t * cols + j]!;
  }
  for (let g = 0; g < merged; g++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += h[g * cols + j]! ** 2;
    const norm = Math.sqrt(sum);
    if (norm > 0) for (let j = 0; j < cols; j++) h[g * cols + j]! /= norm;
  }
  const w = yield* transformNmfSteps(x, h, merged);
  return {
    nmf: { ...model, k: merged, w, h, reconstructionError: reconstructionError(x, w, h, merged) },
    merge,
  };
}

/** Cosine of every pair of W's columns (k×k). */
function columnCosines(w: Float64Array, rows: number, k: number): Float64Array {
  const g = gram(w, rows, k, new Float64Array(k * k));
  const cos = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const d = Math.sqrt(g[a * k + a]! * g[b * k + b]!);
      cos[a * k + b] = d > 0 ? g[a * k + b]! / d : 0;
    }
  }
  return cos;
}

/**
 * Average-linkage agglomeration down to one group. `parentAt[s]` = [kept, absorbed] of merge s; the
 * most similar pair merges first (ties: the lowest indices), so the order is deterministic.
 */
function agglomerate(cosines: Float64Array, k: number): { curve: MergeStep[]; parentAt: [number, number][] } {
  const sim = cosines.slice();
  const size = new Float64Array(k).fill(1);
  const alive = Array.from({ length: k }, (_, t) => t);
  const curve: MergeStep[] = [];
  const parentAt: [number, number][] = [];
  while (alive.length > 1) {
    let best = Number.NEGATIVE_INFINITY;
    let keep = -1;
    let absorb = -1;
    for (let x = 0; x < alive.length; x++) {
      for (let y = x + 1; y < alive.length; y++) {
        const s = sim[alive[x]! * k + alive[y]!]!;
        if (s > best) [best, keep, absorb] = [s, alive[x]!, alive[y]!];
      }
    }
    for (const c of alive) {
      if (c === keep || c === absorb) continue;
      const value =
        (sim[keep * k + c]! * size[keep]! + sim[absorb * k + c]! * size[absorb]!) /
        (size[keep]! + size[absorb]!);
      sim[keep * k + c] = value;
      sim[c * k + keep] = value;
    }
    size[keep]! += size[absorb]!;
    alive.splice(alive.indexOf(absorb), 1);
    curve.push({ k: alive.length, overlap: best });
    parentAt.push([keep, absorb]);
  }
  return { curve, parentAt };
}

/** Merged group (0.., in order of each group's first topic) of every topic after the first `merges` merges. */
function groupsAfter(parentAt: readonly [number, number][], k: number, merges: number): number[] {
  const root = Array.from({ length: k }, (_, t) => t);
  const find = (t: number): number => (root[t] === t ? t : find(root[t]!));
  for (const [keep, absorb] of parentAt.slice(0, merges)) root[find(absorb)] = find(keep);
  const index = new Map<number, number>();
  return root.map((_, t) => {
    const r = find(t);
    if (!index.has(r)) index.set(r, index.size);
    return index.get(r)!;
  });
}
