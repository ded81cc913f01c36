/**
 * Scores of a detector that should rank positives (novel, out-of-scope) above negatives, judged
 * against the truth: threshold-free (AUROC) and at the operating point people care about.
 */

/** Area under the ROC curve: P(score of a random positive > score of a random negative), ties ½ (Mann–Whitney U). */
export function auroc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const all = [
    ...Array.from(positives, (s) => ({ s, positive: true })),
    ...Array.from(negatives, (s) => ({ s, positive: false })),
  ].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const midRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (all[t]!.positive) rankSum += midRank;
    i = j;
  }
  const p = positives.length;
  const n = negatives.length;
  if (p === 0 || n === 0) return Number.NaN;
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}

/**
 * Out-of-scope recall at a required in-scope precision: the highest threshold τ (the least flagging)
 * at which the requests kept (score < τ) are at least `precision` in-scope; the share of positives
 * it flags (score ≥ τ) and the share of negatives it keeps. Precision of what is kept, because what
 * is kept is what gets routed without a person.
 */
export function recallAtKeptPrecision(
  positives: ArrayLike<number>,
  negatives: ArrayLike<number>,
  precision: number,
): { threshold: number; recall: number; negativesKept: number } {
  const all = [
    ...Array.from(positives, (s) => ({ s, positive: true })),
    ...Array.from(negatives, (s) => ({ s, positive: false })),
  ].sort((a, b) => a.s - b.s);
  let best = { threshold: Number.NEGATIVE_INFINITY, recall: 1, negativesKept: 0 };
  let keptPositives = 0;
  // Sweep τ upward over distinct scores: everything below τ is kept.
  for (let i = 0; i <= all.length; ) {
    const kept = i;
    if (kept > 0 && (kept - keptPositives) / kept >= precision) {
      best = {
        threshold: i < all.length ? all[i]!.s : Number.POSITIVE_INFINITY,
        recall: (positives.length - keptPositives) / positives.length,
        negativesKept: (kept - keptPositives) / negatives.length,
      };
    }
    if (i === all.length) break;
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) {
      if (all[j]!.positive) keptPositives++;
      j++;
    }
    i = j;
  }
  return best;
}
