import type { Csr } from "../topics/csr.js";
import { Rng } from "../util/random.js";

/** One ticket the queue asks a person about, with why it was chosen. */
export interface QueueItem {
  row: number;
  /** The model's most probable class and the gap to the runner-up (small = the model hesitates). */
  predicted: number;
  margin: number;
}

export interface QueueOptions {
  size: number;
  /** Rows that must not be asked (already labelled, skipped). */
  exclude?: ReadonlySet<number>;
  /**
   * True once people have labelled tickets, so the model's margins say what it has yet to learn;
   * false at the cold start, when only typical, diverse tickets are asked.
   */
  uncertainty: boolean;
  /** The pool clustered is at least this many times `size` tickets (DMBAL's β). */
  poolFactor?: number;
  /**
   * With people's labels, the pool is this share of the unlabelled tickets, least sure first
   * (default 0.5: the least-sure half), so it grows with the corpus rather than staying `size` × `poolFactor`.
   */
  poolShare?: number;
  /** Seed of the pool's sample and of the clustering. */
  seed?: number;
}

const kmeansRounds = 10;

/**
 * Active learning with diversity (Zhdanov 2019, "Diverse mini-batch active learning"): a pool of
 * candidates is clustered into `size` groups by k-means on their TF-IDF rows (cosine), and the
 * ticket nearest each group's centre is asked, the heaviest groups first. Nearest the centre makes
 * it a typical ticket of its group (a label there teaches the router about its neighbours), one per
 * group makes the batch diverse (no near-copies, no piling up on one confusable pair).
 *
 * - Cold start (`uncertainty` false: nobody labelled yet): the pool is a seeded sample of the
 *   tickets, all weighted alike, so the queue walks the corpus's densest regions first, one
 *   representative each (cluster-based cold start, Nguyen & Smeulders 2004).
 * - With people's labels: the pool is the least-sure half of the unlabelled tickets (`poolShare`),
 *   ranked by margin p₁ − p₂ (the gap between the router's two most probable classes, Scheffer et
 *   al. 2001), each weighted by 1 − margin in the k-means, so groups form where the router
 *   hesitates and their centres lean to its least certain tickets. A share, not a fixed
 *   `size` × `poolFactor`: on a large corpus of few broad classes a fixed pool is only its boundary
 *   tickets (5,000 of the IT tickets' 47,837), which teach the router less than typical ones; the
 *   half keeps typical tickets in on every corpus (docs/console.md, "The queue's pool").
 *
 * `probabilities` is rows × classes, row-major; `x` the same rows' L2-normalised TF-IDF.
 * Deterministic for a seed: sampling, k-means++ seeding and ties all follow it and the row order.
 */
export function selectForReview(
  probabilities: Float64Array,
  classes: number,
  x: Csr,
  options: QueueOptions,
): QueueItem[] {
  const candidates: QueueItem[] = [];
  for (let row = 0; row < x.rows; row++)
    if (!options.exclude?.has(row)) candidates.push({ row, ...marginOf(probabilities, classes, row) });
  if (options.size <= 0 || candidates.length === 0) return [];
  const poolSize = options.size * (options.poolFactor ?? 10);
  const rng = new Rng(options.seed ?? 17);
  const pool = options.uncertainty
    ? candidates
        .sort((a, b) => a.margin - b.margin || a.row - b.row)
        .slice(0, Math.max(poolSize, Math.ceil((options.poolShare ?? 0.5) * candidates.length)))
    : sample(candidates, poolSize, rng);
  const weights = Float64Array.from(pool, (item) => (options.uncertainty ? 1 - item.margin + 1e-6 : 1));
  const groups = clusterRows(
    x,
    pool.map((item) => item.row),
    weights,
    Math.min(options.size, pool.length),
    rng,
  );
  return groups
    .sort((a, b) => b.weight - a.weight || pool[a.nearest]!.row - pool[b.nearest]!.row)
    .map((group) => pool[group.nearest]!);
}

/** The most probable class of a row and its margin over the runner-up. */
function marginOf(probabilities: Float64Array, classes: number, row: number): Omit<QueueItem, "row"> {
  let first = 0;
  let second = -1;
  for (let k = 1; k < classes; k++) {
    const p = probabilities[row * classes + k]!;
    if (p > probabilities[row * classes + first]!) {
      second = first;
      first = k;
    } else if (second < 0 || p > probabilities[row * classes + second]!) second = k;
  }
  const margin =
    probabilities[row * classes + first]! - (second < 0 ? 0 : probabilities[row * classes + second]!);
  return { predicted: first, margin };
}

/** `n` items drawn without replacement (partial Fisher–Yates), kept in their original order. */
function sample<T>(items: T[], n: number, rng: Rng): T[] {
  if (items.length <= n) return items;
  const index = Array.from(items.keys());
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (index.length - i));
    [index[i], index[j]] = [index[j]!, index[i]!];
  }
  return index
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

interface Group {
  /** Pool index of the member most similar to the centre. */
  nearest: number;
  /** Sum of the members' weights. */
  weight: number;
}

/**
 * Weighted spherical k-means (cosine similarity, centres renormalised) of the given rows into `k`
 * groups, seeded by k-means++ (Arthur & Vassilvitskii 2007) on 1 − cosine, at most `kmeansRounds`
 * Lloyd rounds. Centres are stored feature-major (cols × k) so that a sparse row meets all centres
 * in one pass over contiguous memory. Returns the non-empty groups.
 */
function clusterRows(x: Csr, rows: number[], weights: Float64Array, k: number, rng: Rng): Group[] {
  const n = rows.length;
  const centres = new Float64Array(x.cols * k);
  const similarity = (i: number, c: number) => {
    const row = rows[i]!;
    let dot = 0;
    for (let p = x.indptr[row]!; p < x.indptr[row + 1]!; p++)
      dot += x.data[p]! * centres[x.indices[p]! * k + c]!;
    return dot;
  };
  // k-means++: each next centre drawn with probability ∝ weight × distance to the nearest centre.
  const distance = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let chosen = Math.floor(rng.next() * n);
  for (let c = 0; c < k; c++) {
    const row = rows[chosen]!;
    for (let p = x.indptr[row]!; p < x.indptr[row + 1]!; p++) centres[x.indices[p]! * k + c] = x.data[p]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      distance[i] = Math.min(distance[i]!, Math.max(0, 1 - similarity(i, c)));
      total += weights[i]! * distance[i]!;
    }
    if (total <= 0) break;
    let target = rng.next() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= weights[i]! * distance[i]!;
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  const assigned = new Int32Array(n);
  const best = new Float64Array(n);
  const sims = new Float64Array(k);
  const norms = new Float64Array(k);
  for (let round = 0; ; round++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      sims.fill(0);
      for (let p = x.indptr[row]!; p < x.indptr[row + 1]!; p++) {
        const value = x.data[p]!;
        const base = x.indices[p]! * k;
        for (let c = 0; c < k; c++) sims[c]! += value * centres[base + c]!;
      }
      let top = 0;
      for (let c = 1; c < k; c++) if (sims[c]! > sims[top]!) top = c;
      if (round === 0 || assigned[i] !== top) moved++;
      assigned[i] = top;
      best[i] = sims[top]!;
    }
    if (round === kmeansRounds || moved === 0) break;
    centres.fill(0);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      for (let p = x.indptr[row]!; p < x.indptr[row + 1]!; p++)
        centres[x.indices[p]! * k + assigned[i]!]! += weights[i]! * x.data[p]!;
    }
    norms.fill(0);
    for (let j = 0; j < centres.length; j++) norms[j % k]! += centres[j]! ** 2;
    for (let j = 0; j < centres.length; j++) if (norms[j % k]! > 0) centres[j]! /= Math.sqrt(norms[j % k]!);
  }
  const groups = new Map<number, Group>();
  const bestOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = assigned[i]!;
    const group = groups.get(c);
    if (!group) {
      groups.set(c, { nearest: i, weight: weights[i]! });
      bestOf.set(c, best[i]!);
      continue;
    }
    group.weight += weights[i]!;
    if (best[i]! > bestOf.get(c)!) {
      group.nearest = i;
      bestOf.set(c, best[i]!);
    }
  }
  return [...groups.values()];
}
