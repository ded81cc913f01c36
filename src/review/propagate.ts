import { fitLogistic, type LogisticModel, type LogisticOptions, predictProba } from "../classify/logistic.js";
import { type Csr, selectRows } from "../topics/csr.js";

export interface SelfTrainingOptions {
  /** A row takes the model's class when its probability is at least this (scikit-learn's default 0.75). */
  threshold: number;
  /** Refits at most this many times after the first fit. */
  maxRounds: number;
  logistic: Partial<LogisticOptions>;
}

export interface SelfTrained {
  /** Per row: the seed's class, the class it took, or -1 (no class reached the threshold). */
  labels: Int32Array;
  /** Rows that took a class (seeds not counted). */
  adopted: number;
  rounds: number;
  /** The last fit, over the seed classes in ascending order (`classes`); null with fewer than two. */
  model: LogisticModel | null;
  classes: number[];
}

/**
 * Self-training (Yarowsky 1995; scikit-learn's SelfTrainingClassifier, criterion "threshold"): a
 * multinomial logistic regression fitted on the seed rows (the tickets people labelled) predicts
 * the other rows; each row whose most probable class has probability ≥ `threshold` takes it, and
 * the model is refitted on seeds plus taken rows, until a round adds no row or `maxRounds` is
 * reached. Only the seed classes can spread; a taken row keeps its class (no row flips back).
 * Chosen over label spreading because it learns in the router's own space (TF-IDF + logistic
 * regression) in time linear in the rows, where label spreading needs an n×n similarity graph
 * (2·10⁹ pairs for 48k tickets). Deterministic: the fits are (L-BFGS from zero), and rows are
 * visited in order.
 */
export function selfTrain(x: Csr, seeds: Int32Array, options: SelfTrainingOptions): SelfTrained {
  if (seeds.length !== x.rows) throw new RangeError(`${seeds.length} seeds for ${x.rows} rows`);
  const classes = [...new Set(Array.from(seeds).filter((c) => c >= 0))].sort((a, b) => a - b);
  const labels = Int32Array.from(seeds);
  // With one seed class a softmax is sure of every row: nothing can be told apart, so nothing spreads.
  if (classes.length < 2) return { labels, adopted: 0, rounds: 0, model: null, classes };
  let adopted = 0;
  let rounds = 0;
  for (;;) {
    const model = fitOn(x, labels, classes, options.logistic);
    if (rounds === options.maxRounds) return { labels, adopted, rounds, model, classes };
    rounds++;
    const unlabelled = Array.from(labels.keys()).filter((i) => labels[i]! < 0);
    const taken = adopt(model, classes, selectRows(x, unlabelled), options.threshold);
    let added = 0;
    for (const [k, row] of unlabelled.entries()) {
      if (taken[k]! < 0) continue;
      labels[row] = taken[k]!;
      added++;
    }
    adopted += added;
    if (added === 0) return { labels, adopted, rounds, model, classes };
  }
}

/** Each row's most probable class (from `classes`) when its probability reaches `threshold`, else -1. */
export function adopt(
  model: LogisticModel,
  classes: readonly number[],
  x: Csr,
  threshold: number,
): Int32Array {
  const proba = predictProba(model, x);
  const K = model.nClasses;
  const out = new Int32Array(x.rows).fill(-1);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k]! > proba[i * K + best]!) best = k;
    if (proba[i * K + best]! >= threshold) out[i] = classes[best]!;
  }
  return out;
}

function fitOn(
  x: Csr,
  labels: Int32Array,
  classes: number[],
  logistic: Partial<LogisticOptions>,
): LogisticModel {
  const rows = Array.from(labels.keys()).filter((i) => labels[i]! >= 0);
  const index = new Map(classes.map((c, k) => [c, k]));
  const y = Int32Array.from(rows, (i) => index.get(labels[i]!)!);
  return fitLogistic(selectRows(x, rows), y, classes.length, logistic);
}
