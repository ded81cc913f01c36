import type { Csr } from "../topics/csr.js";

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
  /** A ticket at least this similar (cosine of TF-IDF rows) to one already chosen is a near-duplicate. */
  duplicateCosine?: number;
}

/**
 * Active learning by margin sampling with diversity. Margin uncertainty (Scheffer et al. 2001): a
 * ticket's margin is p₁ − p₂, the gap between the router's two most probable classes; the smallest
 * margins are where one label moves the decision boundary most. Taking only the smallest margins piles
 * up near one confusable pair and near-copies of one ticket, so the queue is diversified two ways:
 * classes take turns (round-robin over predicted classes, each offering its least certain ticket,
 * which also gives every class its first labels early), and a ticket whose TF-IDF row is a
 * near-duplicate (cosine ≥ duplicateCosine) of one already chosen is passed over.
 * `probabilities` is rows × classes, row-major; `x` the same rows' L2-normalised TF-IDF.
 */
export function selectForReview(
  probabilities: Float64Array,
  classes: number,
  x: Csr,
  options: QueueOptions,
): QueueItem[] {
  const threshold = options.duplicateCosine ?? 0.9;
  const buckets: QueueItem[][] = Array.from({ length: classes }, () => []);
  for (let row = 0; row < x.rows; row++) {
    if (options.exclude?.has(row)) continue;
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
    buckets[first]!.push({ row, predicted: first, margin });
  }
  // Ties broken by row so the queue is the same on every run.
  for (const bucket of buckets) bucket.sort((a, b) => a.margin - b.margin || a.row - b.row);
  const order = buckets.filter((b) => b.length > 0).sort((a, b) => a[0]!.margin - b[0]!.margin);
  const chosen: QueueItem[] = [];
  const cursors = order.map(() => 0);
  while (chosen.length < options.size) {
    let progressed = false;
    for (let c = 0; c < order.length && chosen.length < options.size; c++) {
      const bucket = order[c]!;
      while (cursors[c]! < bucket.length) {
        const item = bucket[cursors[c]!++]!;
        if (chosen.some((other) => cosine(x, item.row, other.row) >= threshold)) continue;
        chosen.push(item);
        progressed = true;
        break;
      }
    }
    if (!progressed) break;
  }
  return chosen;
}

/** Dot product of two rows (both sorted by column): their cosine when rows are L2-normalised. */
function cosine(x: Csr, a: number, b: number): number {
  let i = x.indptr[a]!;
  let j = x.indptr[b]!;
  const endA = x.indptr[a + 1]!;
  const endB = x.indptr[b + 1]!;
  let dot = 0;
  while (i < endA && j < endB) {
    const ci = x.indices[i]!;
    const cj = x.indices[j]!;
    if (ci === cj) dot += x.data[i++]! * x.data[j++]!;
    else if (ci < cj) i++;
    else j++;
  }
  return dot;
}
