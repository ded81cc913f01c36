import { fitLogisticSteps, type LogisticOptions, predictClasses } from "../classify/logistic.js";
import type { RouterInput } from "../classify/router-input.js";
import { selectRows } from "../topics/csr.js";
import { fitTransformTfidf, type TfidfOptions } from "../topics/tfidf.js";
import { runSteps, type Steps } from "../util/steps.js";
import { chooseOnEvidence, stratifiedFolds } from "./out-of-fold.js";

export interface RouterInputChoiceOptions {
  tfidf: Partial<TfidfOptions>;
  logistic: Pick<LogisticOptions, "C" | "maxIter" | "classWeight">;
  /** Cross-validation folds over people's training labels. */
  folds: number;
  seed: number;
  /** Paired bootstrap resamples of the macro-F1 difference against the terms. */
  resamples: number;
}

export interface RouterInputChoice {
  input: RouterInput;
  /** Out-of-fold macro-F1 on people's training labels, per candidate. */
  cvMacroF1: Partial<Record<RouterInput, number>>;
  /** 95% paired bootstrap interval of (candidate − terms), per candidate other than the terms. */
  differenceInterval: Partial<Record<RouterInput, [number, number]>>;
  labels: number;
  folds: number;
}

/**
 * Which router input (router-input.ts) the router reads in this deployment, chosen on people's labels
 * in the training split by k-fold cross-validation (never on the held-out ones: they are evaluate's
 * reference, and a choice made on them would flatter its score). Each candidate's TF-IDF is fitted on
 * all training tickets (unsupervised, as the router's), its logistic regression on the other folds'
 * people's labels; out-of-fold predictions are pooled. Rule: the terms (today's input, the one the
 * rest of the panel was tuned on) stay unless a candidate beats them significantly: the 95% paired
 * bootstrap interval of its macro-F1 minus the terms' lies above 0; among those, the best. A few labels
 * per class give wide intervals, so the choice moves off the terms only on clear evidence (on the CFPB
 * narratives and the IT tickets every word is worse, on clinc150's short queries clearly better).
 *
 * `docsOf(input)`: the features of every training ticket; `labelled`: positions among them with
 * people's class `y` (0..nClasses−1).
 */
export function chooseRouterInput(
  candidates: readonly RouterInput[],
  docsOf: (input: RouterInput) => (readonly string[])[],
  labelled: { at: readonly number[]; y: Int32Array; nClasses: number },
  options: RouterInputChoiceOptions,
): RouterInputChoice {
  return runSteps(chooseRouterInputSteps(candidates, docsOf, labelled, options));
}

/** chooseRouterInput, pausing after each L-BFGS iteration of its fits (src/util/steps.ts): train stops there on a signal. */
export function* chooseRouterInputSteps(
  candidates: readonly RouterInput[],
  docsOf: (input: RouterInput) => (readonly string[])[],
  labelled: { at: readonly number[]; y: Int32Array; nClasses: number },
  options: RouterInputChoiceOptions,
): Steps<RouterInputChoice> {
  const fold = stratifiedFolds(labelled.y, options.folds, options.seed);
  const predictions = new Map<RouterInput, Int32Array>();
  for (const input of candidates) {
    const x = fitTransformTfidf(docsOf(input), options.tfidf).matrix;
    const predicted = new Int32Array(labelled.at.length);
    for (let f = 0; f < options.folds; f++) {
      const inFit = Array.from(labelled.at.keys()).filter((k) => fold[k] !== f);
      const held = Array.from(labelled.at.keys()).filter((k) => fold[k] === f);
      if (held.length === 0) continue;
      const model = yield* fitLogisticSteps(
        selectRows(
          x,
          inFit.map((k) => labelled.at[k]!),
        ),
        Int32Array.from(inFit, (k) => labelled.y[k]!),
        labelled.nClasses,
        options.logistic,
      );
      const out = predictClasses(
        model,
        selectRows(
          x,
          held.map((k) => labelled.at[k]!),
        ),
      );
      held.forEach((k, n) => {
        predicted[k] = out[n]!;
      });
    }
    predictions.set(input, predicted);
  }
  const { chosen, cvMacroF1, differenceInterval } = chooseOnEvidence(
    labelled.y,
    predictions,
    "terms",
    labelled.nClasses,
    { resamples: options.resamples, seed: options.seed },
  );
  return { input: chosen, cvMacroF1, differenceInterval, labels: labelled.at.length, folds: options.folds };
}
