import { pairedBootstrapMacroF1 } from "../classify/compare.js";
import { classificationReport } from "../classify/metrics.js";
import { Rng } from "../util/random.js";
import type { Steps } from "../util/steps.js";

/** People's labels among the training tickets: positions `at` with class `y` (0..nClasses−1). */
export interface PeopleLabels {
  at: readonly number[];
  y: Int32Array;
  nClasses: number;
}

/** At least this many classes with two labels or more, or a choice is not made. */
export const minScoredClasses = 2;

export interface OutOfFold {
  /** Indexes into `labelled` that were predicted out of fold. */
  scored: number[];
  /** Their people's classes. */
  truth: Int32Array;
  /** Per candidate, the out-of-fold prediction of each scored label. */
  predicted: Int32Array[];
}

/**
 * Out-of-fold predictions of people's labels for several candidate routers, the protocol spreading's
 * and self-training's choices share: stratified k folds; per fold, `predictHeld(held)` fits each
 * candidate without the held-out labels and returns, per candidate, its classes for `held`. A class
 * with one label cannot be scored (held out, nothing of it is left to learn from): its label is never
 * held out. Null when fewer than `minScoredClasses` classes have two labels or more: too few to decide.
 * Pauses where `predictHeld` does (its fits' iterations, src/util/steps.ts).
 */
export function* outOfFoldPredictionsSteps(
  labelled: PeopleLabels,
  options: { folds: number; seed: number; candidates: number },
  predictHeld: (held: readonly number[]) => Steps<Int32Array[]>,
): Steps<OutOfFold | null> {
  const perClass = new Map<number, number>();
  for (const c of labelled.y) perClass.set(c, (perClass.get(c) ?? 0) + 1);
  const scorable = (k: number) => perClass.get(labelled.y[k]!)! >= 2;
  if ([...perClass.values()].filter((n) => n >= 2).length < minScoredClasses) return null;
  const fold = stratifiedFolds(labelled.y, options.folds, options.seed);
  const pooled = Array.from({ length: options.candidates }, () => new Int32Array(labelled.at.length));
  for (let f = 0; f < options.folds; f++) {
    const held = Array.from(labelled.at.keys()).filter((k) => scorable(k) && fold[k] === f);
    if (held.length === 0) continue;
    (yield* predictHeld(held)).forEach((out, c) => {
      held.forEach((k, n) => {
        pooled[c]![k] = out[n]!;
      });
    });
  }
  const scored = Array.from(labelled.at.keys()).filter(scorable);
  return {
    scored,
    truth: Int32Array.from(scored, (k) => labelled.y[k]!),
    predicted: pooled.map((all) => Int32Array.from(scored, (k) => all[k]!)),
  };
}

export interface EvidenceChoice<K extends string> {
  chosen: K;
  /** Macro-F1 per candidate, the baseline included. */
  cvMacroF1: Record<K, number>;
  /** 95% paired bootstrap interval of (candidate − baseline), per candidate other than the baseline. */
  differenceInterval: Partial<Record<K, [number, number]>>;
}

/**
 * The rule the router's input and self-training are chosen by: the baseline stays unless a candidate
 * beats it significantly, the 95% paired bootstrap interval of its macro-F1 minus the baseline's lying
 * above 0; among those, the best (the first on a tie, in `predicted`'s order). A few labels per class
 * give wide intervals, so the choice moves off the baseline only on clear evidence.
 */
export function chooseOnEvidence<K extends string>(
  truth: Int32Array,
  predicted: ReadonlyMap<K, Int32Array>,
  baseline: K,
  nClasses: number,
  options: { resamples: number; seed: number },
): EvidenceChoice<K> {
  const cvMacroF1 = {} as Record<K, number>;
  for (const [candidate, out] of predicted)
    cvMacroF1[candidate] = classificationReport(truth, out, nClasses).macro.f1;
  const differenceInterval: Partial<Record<K, [number, number]>> = {};
  const base = predicted.get(baseline);
  let chosen = baseline;
  // Without the baseline among the candidates there is nothing to beat: it stays.
  if (!base) return { chosen, cvMacroF1, differenceInterval };
  for (const [candidate, out] of predicted) {
    if (candidate === baseline) continue;
    const { interval } = pairedBootstrapMacroF1(truth, base, out, nClasses, options);
    differenceInterval[candidate] = interval;
    if (interval[0] > 0 && cvMacroF1[candidate] > cvMacroF1[chosen]) chosen = candidate;
  }
  return { chosen, cvMacroF1, differenceInterval };
}

/** Fold of each row: each class's rows shuffled (seeded) and dealt in turn, continuing where the last class stopped. */
export function stratifiedFolds(y: Int32Array, folds: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => {
    const rows = byClass.get(c) ?? [];
    rows.push(i);
    byClass.set(c, rows);
  });
  const fold = new Int32Array(y.length);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass
      .get(c)!
      .map((i) => ({ i, key: rng.next() }))
      .sort((a, b) => a.key - b.key);
    for (const { i } of rows) fold[i] = next++ % folds;
  }
  return fold;
}
