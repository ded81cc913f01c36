import { stratifiedFolds } from "./router-input-choice.js";

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
 */
export function outOfFoldPredictions(
  labelled: PeopleLabels,
  options: { folds: number; seed: number; candidates: number },
  predictHeld: (held: readonly number[]) => Int32Array[],
): OutOfFold | null {
  const perClass = new Map<number, number>();
  for (const c of labelled.y) perClass.set(c, (perClass.get(c) ?? 0) + 1);
  const scorable = (k: number) => perClass.get(labelled.y[k]!)! >= 2;
  if ([...perClass.values()].filter((n) => n >= 2).length < minScoredClasses) return null;
  const fold = stratifiedFolds(labelled.y, options.folds, options.seed);
  const pooled = Array.from({ length: options.candidates }, () => new Int32Array(labelled.at.length));
  for (let f = 0; f < options.folds; f++) {
    const held = Array.from(labelled.at.keys()).filter((k) => scorable(k) && fold[k] === f);
    if (held.length === 0) continue;
    predictHeld(held).forEach((out, c) => {
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
