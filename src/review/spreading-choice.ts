import { fitLogisticSteps, type LogisticOptions, predictClasses } from "../classify/logistic.js";
import { classificationReport } from "../classify/metrics.js";
import { type Csr, selectRows } from "../topics/csr.js";
import { runSteps, type Steps } from "../util/steps.js";
import { outOfFoldPredictionsSteps, type PeopleLabels } from "./out-of-fold.js";
import { type LabelSpreadingOptions, spreadOnGraph } from "./propagate.js";

export interface SpreadingChoiceOptions {
  spreading: LabelSpreadingOptions;
  /** Candidate sample weights of a spread ticket; 0 is the router on people's labels alone. */
  weights: readonly number[];
  humanWeight: number;
  logistic: Pick<LogisticOptions, "C" | "maxIter" | "classWeight">;
  folds: number;
  seed: number;
}

export interface SpreadingChoice {
  /** The chosen weight of a spread ticket; 0: no spreading. */
  weight: number;
  /** Out-of-fold macro-F1 on people's labels per candidate weight (key: the weight); null when not decided. */
  cvMacroF1: Record<string, number> | null;
  /** People's labels scored out of fold (those of classes with at least two). */
  scored: number;
  folds: number;
}

/**
 * The weight spread tickets train at: `weight`, lowered so that together they never weigh more than
 * people's labels (`humanMass`): on 8 broad classes (IT tickets, 1% labelled) 16,534 spread tickets at
 * 0.1 outweighed 384 labels four to one and cost 0.09 macro-F1 (docs/console.md).
 */
export function cappedSpreadWeight(weight: number, humanMass: number, spreadRows: number): number {
  return Math.min(weight, spreadRows > 0 ? humanMass / spreadRows : 0);
}

/**
 * Whether (and at which weight) people's labels are spread in this deployment, chosen like the router's
 * input (router-input-choice.ts): k-fold cross-validation on people's labels in the training split.
 * Per fold, the other folds' labels seed label spreading over the training tickets' graph (`graph`,
 * built once: the held-out labels are not seeds, so they reach the fit only if spread), the router is
 * fitted on those labels plus, per candidate weight above 0, the tickets spreading labelled (held-out
 * ones left out) at the capped weight, and predicts the held-out labels; out-of-fold predictions are
 * pooled and each candidate scored by macro-F1. The highest wins, ties to the lower weight (no
 * spreading first). A class with one label cannot be scored (held out, it has no seed): its label is
 * a seed in every fold. With fewer than `minScoredClasses` classes of two labels or more nothing is
 * decided and nothing spreads. Why decide per deployment: spreading lifts the intent corpora (banking77
 * +0.026 at 10 labels per class) and costs the IT tickets' 8 broad classes (−0.042 at 1%).
 *
 * `x`: the router's rows of the training tickets; `labelled`: positions among them with people's class
 * `y` (0..nClasses−1). Deterministic: seeded folds, row-ordered spreading and fits.
 */
export function chooseSpreading(
  x: Csr,
  graph: Csr,
  labelled: PeopleLabels,
  options: SpreadingChoiceOptions,
): SpreadingChoice {
  return runSteps(chooseSpreadingSteps(x, graph, labelled, options));
}

/** chooseSpreading, pausing after each L-BFGS iteration of its fits (src/util/steps.ts): train stops there on a signal. */
export function* chooseSpreadingSteps(
  x: Csr,
  graph: Csr,
  labelled: PeopleLabels,
  options: SpreadingChoiceOptions,
): Steps<SpreadingChoice> {
  const weights = [...new Set([0, ...options.weights])].sort((a, b) => a - b);
  const outOfFold = yield* outOfFoldPredictionsSteps(
    labelled,
    { folds: options.folds, seed: options.seed, candidates: weights.length },
    function* (held) {
      const heldRows = new Set(held.map((k) => labelled.at[k]!));
      const seeds = new Int32Array(x.rows).fill(-1);
      labelled.at.forEach((row, k) => {
        if (!heldRows.has(row)) seeds[row] = labelled.y[k]!;
      });
      const seedRows = Array.from(seeds.keys()).filter((i) => seeds[i]! >= 0);
      const spread = weights.some((w) => w > 0)
        ? spreadOnGraph(graph, seeds, options.spreading).labels
        : seeds;
      const spreadRows = Array.from(spread.keys()).filter(
        (i) => seeds[i]! < 0 && spread[i]! >= 0 && !heldRows.has(i),
      );
      const xHeld = selectRows(
        x,
        held.map((k) => labelled.at[k]!),
      );
      const predicted: Int32Array[] = [];
      for (const weight of weights) {
        const rows = weight > 0 ? [...seedRows, ...spreadRows] : seedRows;
        const spreadWeight = cappedSpreadWeight(
          weight,
          seedRows.length * options.humanWeight,
          spreadRows.length,
        );
        const model = yield* fitLogisticSteps(
          selectRows(x, rows),
          Int32Array.from(rows, (i) => spread[i]!),
          labelled.nClasses,
          options.logistic,
          Float64Array.from(rows, (i) => (seeds[i]! >= 0 ? options.humanWeight : spreadWeight)),
        );
        predicted.push(predictClasses(model, xHeld));
      }
      return predicted;
    },
  );
  if (!outOfFold) return { weight: 0, cvMacroF1: null, scored: 0, folds: options.folds };
  const cvMacroF1: Record<string, number> = {};
  let best = 0;
  weights.forEach((weight, w) => {
    const f1 = classificationReport(outOfFold.truth, outOfFold.predicted[w]!, labelled.nClasses).macro.f1;
    cvMacroF1[String(weight)] = f1;
    if (f1 > cvMacroF1[String(weights[best]!)]!) best = w;
  });
  return { weight: weights[best]!, cvMacroF1, scored: outOfFold.scored.length, folds: options.folds };
}
