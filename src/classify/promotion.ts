/**
 * Whether a newly trained challenger replaces the champion. The challenger is promoted unless it is
 * significantly worse on the shared test set: its paired-bootstrap macro-F1 difference interval lies
 * entirely below 0, or McNemar's test is significant with the challenger making more errors.
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
  resamples?: number;
  seed?: number;
}

export interface PromotionDecision {
  promote: boolean;
  reason: string;
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

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { yTrue, championPred, challengerPred, nClasses, alpha = 0.05, resamples = 1000, seed = 0 } = input;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
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
  const worseByErrors = test.pValue < alpha && test.b > test.c;
  let reason: string;
  if (worseByF1 && worseByErrors)
    reason = `challenger significantly worse on macro-F1 and on errors: ${diffText}; ${mcnemarText}`;
  else if (worseByF1) reason = `challenger significantly worse on macro-F1: ${diffText}; ${mcnemarText}`;
  else if (worseByErrors) reason = `challenger makes significantly more errors: ${mcnemarText}; ${diffText}`;
  else reason = `challenger not significantly worse: ${diffText}; ${mcnemarText}`;
  return {
    promote: !(worseByF1 || worseByErrors),
    reason,
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
