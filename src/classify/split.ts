/**
 * Stratified train/test split: each class is shuffled (seeded) and cut at its share, so class
 * proportions agree between the parts. Per-class test sizes start from floor(count · share) and the
 * remaining rows up to round(n · share) go to the classes with the largest fractional parts; every
 * class with at least two rows keeps at least one row on each side.
 */
import { Rng } from "../util/random.js";

export interface Split {
  /** Row indices, ascending. */
  train: Int32Array;
  test: Int32Array;
}

export function stratifiedSplit(y: Int32Array, testShare: number, seed: number): Split {
  if (!(testShare > 0 && testShare < 1))
    throw new RangeError(`testShare must be in (0, 1), got ${testShare}`);
  let nClasses = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! < 0) throw new RangeError(`label ${y[i]} at row ${i} is negative`);
    nClasses = Math.max(nClasses, y[i]! + 1);
  }
  const members: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < y.length; i++) members[y[i]!]!.push(i);

  const testCounts = allocateTestRows(
    members.map((rows) => rows.length),
    testShare,
    Math.round(y.length * testShare),
  );
  const rng = new Rng(seed);
  const isTest = new Uint8Array(y.length);
  members.forEach((rows, k) => {
    rng.shuffle(rows);
    for (let t = 0; t < testCounts[k]!; t++) isTest[rows[t]!] = 1;
  });
  let testSize = 0;
  for (let i = 0; i < y.length; i++) testSize += isTest[i]!;
  const train = new Int32Array(y.length - testSize);
  const test = new Int32Array(testSize);
  let trainAt = 0;
  let testAt = 0;
  for (let i = 0; i < y.length; i++) {
    if (isTest[i]) test[testAt++] = i;
    else train[trainAt++] = i;
  }
  return { train, test };
}

/** Test rows per class: floors, clamped to [1, count − 1] for classes of ≥ 2, then largest remainders up to the target. */
function allocateTestRows(counts: number[], share: number, target: number): number[] {
  const upper = counts.map((c) => (c >= 2 ? c - 1 : 0));
  const allocation = counts.map((c, k) =>
    Math.min(upper[k]!, Math.max(c >= 2 ? 1 : 0, Math.floor(c * share))),
  );
  let remaining = target - allocation.reduce((a, b) => a + b, 0);
  const byRemainder = counts
    .map((c, k) => ({ k, remainder: c * share - Math.floor(c * share) }))
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of byRemainder) {
    if (remaining <= 0) break;
    if (allocation[k]! < upper[k]! && allocation[k]! < Math.ceil(counts[k]! * share)) {
      allocation[k]!++;
      remaining--;
    }
  }
  return allocation;
}
