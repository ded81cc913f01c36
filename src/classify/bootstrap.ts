/**
 * Percentile bootstrap intervals of accuracy, macro-F1 and weighted-F1 on a test set. A resample only
 * needs the confusion counts, so each draw adds one to the drawn row's confusion cell: no arrays are
 * copied per resample.
 */
import { Rng } from "../util/random.js";
import { type ConfusionSummary, confusionCells, summarizeConfusion } from "./metrics.js";
import { percentileInterval } from "./percentile.js";

export type Interval = [low: number, high: number];

export interface BootstrapOptions {
  /** Resamples drawn (at least 1000 for stable 95% tails). */
  resamples: number;
  seed: number;
  /** Central coverage of the intervals. */
  level: number;
}

export interface BootstrapIntervals {
  accuracy: Interval;
  macroF1: Interval;
  weightedF1: Interval;
  resamples: number;
  level: number;
}

export const defaultBootstrapOptions: BootstrapOptions = { resamples: 1000, seed: 0, level: 0.95 };

export function bootstrapIntervals(
  yTrue: Int32Array,
  yPred: Int32Array,
  nClasses: number,
  options: Partial<BootstrapOptions> = {},
): BootstrapIntervals {
  const { resamples, seed, level } = { ...defaultBootstrapOptions, ...options };
  if (!(Number.isInteger(resamples) && resamples > 0))
    throw new RangeError(`resamples must be a positive integer`);
  const cells = confusionCells(yTrue, yPred, nClasses);
  const n = cells.length;
  if (n === 0) throw new RangeError("cannot bootstrap an empty test set");
  const counts = new Int32Array(nClasses * (nClasses + 1));
  const summary: ConfusionSummary = { accuracy: 0, macroF1: 0, weightedF1: 0 };
  const accuracy = new Float64Array(resamples);
  const macroF1 = new Float64Array(resamples);
  const weightedF1 = new Float64Array(resamples);
  const rng = new Rng(seed);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let draw = 0; draw < n; draw++) counts[cells[rng.int(n)]!]!++;
    summarizeConfusion(counts, nClasses, summary);
    accuracy[r] = summary.accuracy;
    macroF1[r] = summary.macroF1;
    weightedF1[r] = summary.weightedF1;
  }
  return {
    accuracy: percentileInterval(accuracy, level),
    macroF1: percentileInterval(macroF1, level),
    weightedF1: percentileInterval(weightedF1, level),
    resamples,
    level,
  };
}
