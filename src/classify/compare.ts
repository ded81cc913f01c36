/**
 * Comparing two classifiers on the same test set: McNemar's test on the rows where exactly one is
 * right, and a paired bootstrap of the macro-F1 difference (both models scored on the same resamples).
 */
import { Rng } from "../util/random.js";
import { binomialTwoSidedHalf, chiSquare1Survival } from "./distributions.js";
import { confusionCells, macroF1, summarizeConfusion } from "./metrics.js";
import { percentileInterval } from "./percentile.js";

export interface McNemarResult {
  /** Rows the first classifier got right and the second wrong. */
  b: number;
  /** Rows the first classifier got wrong and the second right. */
  c: number;
  /** Continuity-corrected chi-square statistic (|b − c| − 1)² / (b + c). */
  statistic: number;
  exactPValue: number;
  chiSquarePValue: number;
  /** The exact p-value when b + c < 25, else the chi-square one. */
  pValue: number;
  method: "exact" | "chi-square";
}

/** McNemar's test of classifiers A and B on the same rows (b: A right, B wrong; c: A wrong, B right). */
export function mcnemar(yTrue: Int32Array, predA: Int32Array, predB: Int32Array): McNemarResult {
  if (predA.length !== yTrue.length || predB.length !== yTrue.length) {
    throw new RangeError("McNemar's test needs predictions for the same rows");
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const aRight = predA[i] === yTrue[i];
    const bRight = predB[i] === yTrue[i];
    if (aRight && !bRight) b++;
    else if (bRight && !aRight) c++;
  }
  return mcnemarFromCounts(b, c);
}

export function mcnemarFromCounts(b: number, c: number): McNemarResult {
  const discordant = b + c;
  const statistic = discordant === 0 ? 0 : Math.max(0, Math.abs(b - c) - 1) ** 2 / discordant;
  const exactPValue = binomialTwoSidedHalf(b, discordant);
  const chiSquarePValue = discordant === 0 ? 1 : chiSquare1Survival(statistic);
  const exact = discordant < 25;
  return {
    b,
    c,
    statistic,
    exactPValue,
    chiSquarePValue,
    pValue: exact ? exactPValue : chiSquarePValue,
    method: exact ? "exact" : "chi-square",
  };
}

export interface PairedBootstrapOptions {
  resamples: number;
  seed: number;
  level: number;
}

export interface PairedBootstrapResult {
  /** Observed macro-F1 of the challenger minus the champion's, on the whole test set. */
  diff: number;
  /** Mean of the resampled differences. */
  meanDiff: number;
  /** Central `level` percentile interval of the resampled differences. */
  interval: [low: number, high: number];
  /** One-sided p-value for "the challenger is worse": (1 + #{resampled diff ≥ 0}) / (resamples + 1). */
  pValue: number;
  resamples: number;
  level: number;
}

export const defaultPairedBootstrapOptions: PairedBootstrapOptions = {
  resamples: 1000,
  seed: 0,
  level: 0.95,
};

/** Paired bootstrap of macro-F1(challenger) − macro-F1(champion): each resample scores both on the same rows. */
export function pairedBootstrapMacroF1(
  yTrue: Int32Array,
  championPred: Int32Array,
  challengerPred: Int32Array,
  nClasses: number,
  options: Partial<PairedBootstrapOptions> = {},
): PairedBootstrapResult {
  const { resamples, seed, level } = { ...defaultPairedBootstrapOptions, ...options };
  if (!(Number.isInteger(resamples) && resamples > 0))
    throw new RangeError("resamples must be a positive integer");
  const championCells = confusionCells(yTrue, championPred, nClasses);
  const challengerCells = confusionCells(yTrue, challengerPred, nClasses);
  const n = yTrue.length;
  if (n === 0) throw new RangeError("cannot bootstrap an empty test set");
  const size = nClasses * (nClasses + 1);
  const championCounts = new Int32Array(size);
  const challengerCounts = new Int32Array(size);

  for (let i = 0; i < n; i++) {
    championCounts[championCells[i]!]!++;
    challengerCounts[challengerCells[i]!]!++;
  }
  const diff = macroF1(challengerCounts, nClasses) - macroF1(championCounts, nClasses);

  const summary = { accuracy: 0, macroF1: 0, weightedF1: 0 };
  const diffs = new Float64Array(resamples);
  const rng = new Rng(seed);
  let notWorse = 0;
  let sum = 0;
  for (let r = 0; r < resamples; r++) {
    championCounts.fill(0);
    challengerCounts.fill(0);
    for (let draw = 0; draw < n; draw++) {
      const row = rng.int(n);
      championCounts[championCells[row]!]!++;
      challengerCounts[challengerCells[row]!]!++;
    }
    const challengerF1 = summarizeConfusion(challengerCounts, nClasses, summary).macroF1;
    const d = challengerF1 - summarizeConfusion(championCounts, nClasses, summary).macroF1;
    diffs[r] = d;
    sum += d;
    if (d >= 0) notWorse++;
  }
  return {
    diff,
    meanDiff: sum / resamples,
    interval: percentileInterval(diffs, level),
    pValue: (1 + notWorse) / (resamples + 1),
    resamples,
    level,
  };
}
