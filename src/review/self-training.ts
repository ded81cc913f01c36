import {
  fitLogisticSteps,
  type LogisticFit,
  type LogisticOptions,
  predictClasses,
  predictProba,
} from "../classify/logistic.js";
import { type Csr, selectRows, stackRows } from "../topics/csr.js";
import { runSteps, type Steps } from "../util/steps.js";
import { chooseOnEvidence, outOfFoldPredictionsSteps, type PeopleLabels } from "./out-of-fold.js";
import { cappedSpreadWeight } from "./spreading-choice.js";

export interface SelfTrainingChoiceOptions {
  /** Candidate thresholds: an unlabelled ticket takes the router's class when its probability is at least this. */
  thresholds: readonly number[];
  humanWeight: number;
  logistic: Pick<LogisticOptions, "C" | "maxIter" | "classWeight">;
  folds: number;
  seed: number;
  /** Paired bootstrap resamples of the macro-F1 difference against no self-training. */
  resamples: number;
}

export interface SelfTrainingChoice {
  /** The chosen threshold; null: no self-training. */
  threshold: number | null;
  /** Out-of-fold macro-F1 on people's labels per candidate (key: the threshold, "off" without); null when not decided. */
  cvMacroF1: Record<string, number> | null;
  /** 95% paired bootstrap interval of (candidate − off), per threshold; null when not decided. */
  differenceInterval: Partial<Record<string, [number, number]>> | null;
  /** People's labels scored out of fold (those of classes with at least two). */
  scored: number;
  folds: number;
}

/**
 * The unlabelled rows (`rows`, of `x`) `model` gives a class with probability at least `threshold`,
 * with that class: self-training's guesses (Yarowsky 1995; scikit-learn's SelfTrainingClassifier, one round).
 */
export function selfTrainedGuesses(
  model: LogisticFit,
  x: Csr,
  rows: readonly number[],
  threshold: number,
): { rows: number[]; classes: number[] } {
  const proba = predictProba(model, selectRows(x, rows));
  const K = model.nClasses;
  const out = { rows: [] as number[], classes: [] as number[] };
  rows.forEach((row, n) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[n * K + k]! > proba[n * K + best]!) best = k;
    if (proba[n * K + best]! >= threshold) {
      out.rows.push(row);
      out.classes.push(best);
    }
  });
  return out;
}

/**
 * Whether (and at which threshold) the router self-trains in this deployment, chosen as spreading is
 * (spreading-choice.ts): k-fold cross-validation on people's labels in the training split. Per fold,
 * the router fitted on the other folds' labels guesses the unlabelled training tickets (`unlabelled`,
 * rows of `x`); per candidate threshold it is refitted on those labels plus the guesses at or above
 * it, the guesses together weighing no more than the labels (cappedSpreadWeight at weight 1), and
 * predicts the held-out labels. Out-of-fold predictions are pooled and scored by macro-F1; as for the
 * router's input, no self-training unless a threshold beats it significantly (95% paired bootstrap
 * interval of the difference above 0), and then the best. With fewer than `minScoredClasses` classes of two labels or more
 * nothing is decided. Why: on the IT tickets at 1% (8 broad classes, labels alone 0.72 to 0.73) the
 * router's own sure guesses add 0.02 macro-F1 where label spreading over the TF-IDF graph costs it
 * (docs/console.md). Deterministic: seeded folds, row-ordered fits.
 */
export function chooseSelfTraining(
  x: Csr,
  unlabelled: readonly number[],
  labelled: PeopleLabels,
  options: SelfTrainingChoiceOptions,
): SelfTrainingChoice {
  return runSteps(chooseSelfTrainingSteps(x, unlabelled, labelled, options));
}

/** chooseSelfTraining, pausing after each L-BFGS iteration of its fits (src/util/steps.ts): train stops there on a signal. */
export function* chooseSelfTrainingSteps(
  x: Csr,
  unlabelled: readonly number[],
  labelled: PeopleLabels,
  options: SelfTrainingChoiceOptions,
): Steps<SelfTrainingChoice> {
  const thresholds = [...new Set(options.thresholds)].sort((a, b) => b - a);
  const undecided = {
    threshold: null,
    cvMacroF1: null,
    differenceInterval: null,
    scored: 0,
    folds: options.folds,
  };
  if (thresholds.length === 0 || unlabelled.length === 0) return undecided;
  const candidates = [null, ...thresholds];
  const outOfFold = yield* outOfFoldPredictionsSteps(
    labelled,
    { folds: options.folds, seed: options.seed, candidates: candidates.length },
    function* (held) {
      const heldSet = new Set(held);
      const seen = Array.from(labelled.at.keys()).filter((k) => !heldSet.has(k));
      const seedRows = seen.map((k) => labelled.at[k]!);
      const seedY = Int32Array.from(seen, (k) => labelled.y[k]!);
      const xHeld = selectRows(
        x,
        held.map((k) => labelled.at[k]!),
      );
      const xSeed = selectRows(x, seedRows);
      const people = { ...options, nClasses: labelled.nClasses };
      const base = yield* fitPeopleOnlySteps(xSeed, seedY, people);
      const predicted: Int32Array[] = [];
      for (const threshold of candidates) {
        const model =
          threshold === null
            ? base
            : yield* fitWithGuessesSteps(
                xSeed,
                seedY,
                x,
                selfTrainedGuesses(base, x, unlabelled, threshold),
                people,
              );
        predicted.push(predictClasses(model, xHeld));
      }
      return predicted;
    },
  );
  if (!outOfFold) return undecided;
  // As the router's input (router-input-choice.ts): off unless a threshold beats it significantly.
  const keys = candidates.map((threshold) => (threshold === null ? "off" : String(threshold)));
  const { chosen, cvMacroF1, differenceInterval } = chooseOnEvidence(
    outOfFold.truth,
    new Map(keys.map((key, c) => [key, outOfFold.predicted[c]!])),
    "off",
    labelled.nClasses,
    { resamples: options.resamples, seed: options.seed },
  );
  return {
    threshold: candidates[keys.indexOf(chosen)]!,
    cvMacroF1,
    differenceInterval,
    scored: outOfFold.scored.length,
    folds: options.folds,
  };
}

type PeopleFitOptions = Pick<SelfTrainingChoiceOptions, "humanWeight" | "logistic"> & { nClasses: number };

/** The router fitted on people's labels alone (`xPeople`'s rows): the one whose sure guesses self-training takes. */
export function* fitPeopleOnlySteps(
  xPeople: Csr,
  yPeople: Int32Array,
  options: PeopleFitOptions,
): Steps<LogisticFit> {
  return yield* fitLogisticSteps(
    xPeople,
    yPeople,
    options.nClasses,
    options.logistic,
    new Float64Array(yPeople.length).fill(options.humanWeight),
  );
}

/**
 * Self-training whole, on the labels given (`xPeople`'s rows): the router fitted on them alone guesses
 * the unlabelled rows of `x` at or above `threshold`, then is refitted with its guesses. train's served
 * router runs it on every people's label, so its guesses see the labels held out for evaluate too.
 */
export function* fitSelfTrainedSteps(
  xPeople: Csr,
  yPeople: Int32Array,
  x: Csr,
  unlabelled: readonly number[],
  threshold: number,
  options: PeopleFitOptions,
): Steps<LogisticFit> {
  const base = yield* fitPeopleOnlySteps(xPeople, yPeople, options);
  const guesses = selfTrainedGuesses(base, x, unlabelled, threshold);
  return yield* fitWithGuessesSteps(xPeople, yPeople, x, guesses, options);
}

/** The router refitted on people's labels plus guesses (rows of `x`), the guesses capped at the labels' total weight. */
function* fitWithGuessesSteps(
  xPeople: Csr,
  yPeople: Int32Array,
  x: Csr,
  guesses: { rows: number[]; classes: number[] },
  options: PeopleFitOptions,
): Steps<LogisticFit> {
  const weight = cappedSpreadWeight(1, yPeople.length * options.humanWeight, guesses.rows.length);
  return yield* fitLogisticSteps(
    stackRows(xPeople, selectRows(x, guesses.rows)),
    Int32Array.from([...yPeople, ...guesses.classes]),
    options.nClasses,
    options.logistic,
    Float64Array.from([...yPeople.map(() => options.humanWeight), ...guesses.rows.map(() => weight)]),
  );
}
