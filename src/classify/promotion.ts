/**
 * Whether a newly trained challenger replaces the champion: a non-inferiority test on the shared test
 * set. The challenger is promoted only if the lower bound of the paired-bootstrap interval of
 * (challenger − champion) macro-F1 lies above −margin (a loss larger than the margin is ruled out at
 * the 1 − alpha level), and McNemar's test does not find it making significantly more errors.
 * "Not significantly worse" alone would promote a challenger 15 points worse whenever the test set is
 * too small to tell; under this rule too little evidence keeps the champion.
 * (The seed ran a z-test on five 10% bootstrap samples; this tests the same question properly.)
 */
import {
  type McNemarResult,
  mcnemar,
  type PairedBootstrapResult,
  pairedBootstrapMacroF1,
} from "./compare.js";
import { classificationReport } from "./metrics.js";

export interface PromotionInput {
  yTrue: Int32Array;
  championPred: Int32Array;
  challengerPred: Int32Array;
  nClasses: number;
  /** Significance level; the bootstrap interval covers 1 − alpha. */
  alpha?: number;
  /** Non-inferiority margin: the largest macro-F1 loss tolerated (default {@link defaultPromotionMargin}). */
  margin?: number;
  resamples?: number;
  seed?: number;
}

export interface PromotionDecision {
  promote: boolean;
  reason: string;
  /** The non-inferiority margin the decision used. */
  margin: number;
  /** McNemar with the champion as A and the challenger as B: b = champion right, challenger wrong. */
  mcnemar: McNemarResult;
  pairedBootstrap: PairedBootstrapResult;
  championMacroF1: number;
  challengerMacroF1: number;
}

export interface FirstPromotionDecision {
  promote: true;
  reason: string;
  challengerMacroF1: number;
}

/**
 * Two macro-F1 points: a loss the desk would hardly notice, traded for a model trained on fresher
 * tickets; any larger loss must be ruled out by the interval before the champion is replaced.
 */
export const defaultPromotionMargin = 0.02;

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { yTrue, championPred, challengerPred, nClasses, alpha = 0.05, resamples = 1000, seed = 0 } = input;
  const margin = input.margin ?? defaultPromotionMargin;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(margin >= 0 && margin < 1)) throw new RangeError(`margin must be in [0, 1), got ${margin}`);
  const championMacroF1 = classificationReport(yTrue, championPred, nClasses).macro.f1;
  const challengerMacroF1 = classificationReport(yTrue, challengerPred, nClasses).macro.f1;
  const test = mcnemar(yTrue, championPred, challengerPred);
  const paired = pairedBootstrapMacroF1(yTrue, championPred, challengerPred, nClasses, {
    resamples,
    seed,
    level: 1 - alpha,
  });

  const [low, high] = paired.interval;
  const percent = Math.round((1 - alpha) * 100);
  const diffText = `macro-F1 ${fixed(challengerMacroF1)} vs champion ${fixed(championMacroF1)}, difference ${signed(paired.diff)} (${percent}% CI ${signed(low)} to ${signed(high)})`;
  const mcnemarText = `McNemar p=${test.pValue.toPrecision(3)} (${test.method}; champion-only correct ${test.b}, challenger-only correct ${test.c})`;
  const worseByF1 = high < 0;
  const withinMargin = low > -margin;
  const worseByErrors = test.pValue < alpha && test.b > test.c;
  let reason: string;
  if (worseByF1 && worseByErrors)
    reason = `challenger significantly worse on macro-F1 and on errors: ${diffText}; ${mcnemarText}`;
  else if (worseByF1) reason = `challenger significantly worse on macro-F1: ${diffText}; ${mcnemarText}`;
  else if (worseByErrors) reason = `challenger makes significantly more errors: ${mcnemarText}; ${diffText}`;
  else if (!withinMargin)
    reason = `challenger not shown non-inferior: a loss beyond the margin ${fixed(margin)} is not ruled out (CI lower bound ${signed(low)} ≤ ${signed(-margin)}): ${diffText}; ${mcnemarText}`;
  else if (low > 0) reason = `challenger significantly better: ${diffText}; ${mcnemarText}`;
  else reason = `challenger non-inferior within the margin ${fixed(margin)}: ${diffText}; ${mcnemarText}`;
  return {
    promote: withinMargin && !worseByErrors,
    reason,
    margin,
    mcnemar: test,
    pairedBootstrap: paired,
    championMacroF1,
    challengerMacroF1,
  };
}

/** With no champion yet the first model is promoted; its macro-F1 is reported for the record. */
export function decideFirstPromotion(
  yTrue: Int32Array,
  challengerPred: Int32Array,
  nClasses: number,
): FirstPromotionDecision {
  const challengerMacroF1 = classificationReport(yTrue, challengerPred, nClasses).macro.f1;
  return {
    promote: true,
    reason: `no champion yet: the first model is promoted (macro-F1 ${fixed(challengerMacroF1)})`,
    challengerMacroF1,
  };
}

function fixed(x: number): string {
  return x.toFixed(4);
}

function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(4)}`;
}
