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
  /** Fewest shared test tickets on which the champion may be replaced (default {@link defaultMinTestTickets}). */
  minTickets?: number;
}

export interface PromotionDecision {
  promote: boolean;
  reason: string;
  /** The non-inferiority margin the decision used. */
  margin: number;
  /** The fewest test tickets the decision accepted to replace the champion on. */
  minTickets: number;
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

/**
 * Below about 50 tickets the percentile bootstrap's interval is too narrow: two models of equal
 * accuracy 0.8 (5 or 20 classes, 300 draws each) were called significantly different one-sidedly in
 * 4.3–6.0% of draws at 13–30 tickets against the 2.5% asked, 1.7–3.7% at 50 and 1.3–1.7% at 100, and a
 * challenger 10 points worse was promoted in 3.3–3.7% of draws at 13 tickets (0.3% at 50). On fewer
 * tickets only McNemar's exact test decides: the champion is replaced only if the challenger makes
 * significantly fewer errors (a 61-ticket date's 13 held-out tickets, 4 of them fixed and none broken,
 * p = 0.125, had replaced a 3,000-ticket champion on the interval alone).
 */
export const defaultMinTestTickets = 50;

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { yTrue, championPred, challengerPred, nClasses, alpha = 0.05, resamples = 1000, seed = 0 } = input;
  const margin = input.margin ?? defaultPromotionMargin;
  const minTickets = input.minTickets ?? defaultMinTestTickets;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(margin >= 0 && margin < 1)) throw new RangeError(`margin must be in [0, 1), got ${margin}`);
  if (!(Number.isInteger(minTickets) && minTickets >= 0))
    throw new RangeError(`min test tickets must be a whole number ≥ 0, got ${minTickets}`);
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
  const tooFew = yTrue.length < minTickets;
  const betterByErrors = test.pValue < alpha && test.c > test.b;
  const small = `${yTrue.length} test tickets, under the ${minTickets} the interval needs (--min-test-tickets)`;
  let reason: string;
  if (tooFew && betterByErrors)
    reason = `challenger makes significantly fewer errors on ${small}: ${mcnemarText}; ${diffText}`;
  else if (tooFew)
    reason = `too few test tickets to replace the champion without significantly fewer errors: ${small}; ${mcnemarText}; ${diffText}`;
  else if (worseByF1 && worseByErrors)
    reason = `challenger significantly worse on macro-F1 and on errors: ${diffText}; ${mcnemarText}`;
  else if (worseByF1) reason = `challenger significantly worse on macro-F1: ${diffText}; ${mcnemarText}`;
  else if (worseByErrors) reason = `challenger makes significantly more errors: ${mcnemarText}; ${diffText}`;
  else if (!withinMargin)
    reason = `challenger not shown non-inferior: a loss beyond the margin ${fixed(margin)} is not ruled out (CI lower bound ${signed(low)} ≤ ${signed(-margin)}): ${diffText}; ${mcnemarText}`;
  else if (low > 0) reason = `challenger significantly better: ${diffText}; ${mcnemarText}`;
  else reason = `challenger non-inferior within the margin ${fixed(margin)}: ${diffText}; ${mcnemarText}`;
  return {
    promote: tooFew ? betterByErrors : withinMargin && !worseByErrors,
    reason,
    margin,
    minTickets,
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
