/**
 * Classification metrics with scikit-learn's conventions: precision, recall and F1 are 0 where they
 * would divide by zero (zero_division=0); macro averages run over the classes that occur in the truth
 * or the predictions (scikit-learn's default labels); weighted averages weigh by support.
 * A prediction outside [0, K) (e.g. −1 for "no class") counts as wrong for every class.
 */

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  rows: number;
  accuracy: number;
  /** Per class, index = class. */
  perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: AveragedScores;
  weighted: AveragedScores;
  /** confusion[t][p]: rows of true class t predicted as class p (predictions outside [0, K) omitted). */
  confusion: number[][];
}

/** The three headline scores, filled in place by summarizeConfusion. */
export interface ConfusionSummary {
  accuracy: number;
  macroF1: number;
  weightedF1: number;
}

/**
 * Counts as a K×(K+1) row-major matrix: cell t·(K+1)+p for true t predicted p, and column K for
 * predictions outside [0, K). Written into `out` when given (it is zeroed first).
 */
export function confusionCounts(
  yTrue: Int32Array,
  yPred: Int32Array,
  nClasses: number,
  out = new Int32Array(nClasses * (nClasses + 1)),
): Int32Array {
  const cells = confusionCells(yTrue, yPred, nClasses);
  out.fill(0);
  for (let i = 0; i < cells.length; i++) out[cells[i]!]!++;
  return out;
}

/** Each row's cell in the K×(K+1) confusion layout of confusionCounts. */
export function confusionCells(yTrue: Int32Array, yPred: Int32Array, nClasses: number): Int32Array {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`yTrue has ${yTrue.length} labels, yPred ${yPred.length}`);
  }
  const width = nClasses + 1;
  const cells = new Int32Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    if (t < 0 || t >= nClasses)
      throw new RangeError(`true label ${t} at row ${i} is outside [0, ${nClasses})`);
    const p = yPred[i]!;
    cells[i] = t * width + (p >= 0 && p < nClasses ? p : nClasses);
  }
  return cells;
}

export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  if (yTrue.length !== yPred.length) throw new RangeError("yTrue and yPred differ in length");
  if (yTrue.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

export function classificationReport(
  yTrue: Int32Array,
  yPred: Int32Array,
  nClasses: number,
): ClassificationReport {
  const K = nClasses;
  const counts = confusionCounts(yTrue, yPred, K);
  const width = K + 1;
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  const macro = { precision: 0, recall: 0, f1: 0 };
  const weighted = { precision: 0, recall: 0, f1: 0 };
  let labelsSeen = 0;
  let correct = 0;
  for (let k = 0; k < K; k++) {
    const { tp, predicted, actual } = classCounts(counts, K, k);
    correct += tp;
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = actual === 0 ? 0 : tp / actual;
    const f = tp === 0 ? 0 : (2 * tp) / (predicted + actual);
    precision.push(p);
    recall.push(r);
    f1.push(f);
    support.push(actual);
    if (predicted > 0 || actual > 0) {
      labelsSeen++;
      macro.precision += p;
      macro.recall += r;
      macro.f1 += f;
    }
    weighted.precision += actual * p;
    weighted.recall += actual * r;
    weighted.f1 += actual * f;
  }
  const rows = yTrue.length;
  for (const key of ["precision", "recall", "f1"] as const) {
    macro[key] = labelsSeen === 0 ? 0 : macro[key] / labelsSeen;
    weighted[key] = rows === 0 ? 0 : weighted[key] / rows;
  }
  const confusion = Array.from({ length: K }, (_, t) =>
    Array.from(counts.subarray(t * width, t * width + K)),
  );
  return {
    rows,
    accuracy: rows === 0 ? 0 : correct / rows,
    perClass: { precision, recall, f1, support },
    macro,
    weighted,
    confusion,
  };
}

/** Accuracy, macro-F1 and weighted-F1 of K×(K+1) counts, into `out`; allocation-free for resampling loops. */
export function summarizeConfusion(
  counts: Int32Array,
  nClasses: number,
  out: ConfusionSummary,
): ConfusionSummary {
  const K = nClasses;
  const width = K + 1;
  let rows = 0;
  let correct = 0;
  let macro = 0;
  let weighted = 0;
  let labelsSeen = 0;
  for (let k = 0; k < K; k++) {
    const tp = counts[k * width + k]!;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < K; j++) predicted += counts[j * width + k]!;
    for (let j = 0; j <= K; j++) actual += counts[k * width + j]!;
    const f = tp === 0 ? 0 : (2 * tp) / (predicted + actual);
    if (predicted > 0 || actual > 0) {
      labelsSeen++;
      macro += f;
    }
    weighted += actual * f;
    rows += actual;
    correct += tp;
  }
  out.accuracy = rows === 0 ? 0 : correct / rows;
  out.macroF1 = labelsSeen === 0 ? 0 : macro / labelsSeen;
  out.weightedF1 = rows === 0 ? 0 : weighted / rows;
  return out;
}

/** Macro-F1 of K×(K+1) counts. */
export function macroF1(counts: Int32Array, nClasses: number): number {
  return summarizeConfusion(counts, nClasses, { accuracy: 0, macroF1: 0, weightedF1: 0 }).macroF1;
}

function classCounts(
  counts: Int32Array,
  K: number,
  k: number,
): { tp: number; predicted: number; actual: number } {
  const width = K + 1;
  let predicted = 0;
  let actual = 0;
  for (let j = 0; j < K; j++) predicted += counts[j * width + k]!;
  for (let j = 0; j <= K; j++) actual += counts[k * width + j]!;
  return { tp: counts[k * width + k]!, predicted, actual };
}
