/**
 * The router input's choice (src/review/router-input-choice.ts, what `tickets train` runs once people's
 * classes are in force) on any panel corpus, without a store: the reference protocol (stratified
 * 80/20 split of the classes with at least 5 rows; N random labels per class from the 80%, the first
 * 80% of each class's labels trained, as train's hold-out keeps), the choice made by cross-validation on
 * the trained labels exactly as train makes it, and then every candidate's held-out macro-F1 on the 20%
 * (TF-IDF on the 80%, logistic regression on the trained labels at train's --human-c), so a run shows
 * both what the rule picks and whether the pick loses there. For the corpora the replay has no store
 * for (CFPB) or that take long to build one (the IT tickets: --rows samples them).
 *
 *   node --import tsx bench/router-input-panel.ts --dataset cfpb|it|banking77|clinc150 [--per-class 10] [--rows 0]
 */
import yargs from "yargs";
import { fitLogistic, predictClasses } from "../src/classify/logistic.js";
import { classificationReport } from "../src/classify/metrics.js";
import { type RouterInput, routerInputs, routerTerms } from "../src/classify/router-input.js";
import { stratifiedSplit } from "../src/classify/split.js";
import { chooseRouterInput } from "../src/review/router-input-choice.js";
import { createPreprocessor, preprocessStepKeepPos } from "../src/text/preprocess.js";
import { selectRows } from "../src/topics/csr.js";
import { fitTransformTfidf, transformTfidf } from "../src/topics/tfidf.js";
import { Rng } from "../src/util/random.js";
import { round } from "./common.js";
import { type Corpus, corpora, readCorpus } from "./review-corpora.js";

const panel: Record<string, Corpus> = {
  ...corpora,
  cfpb: { file: "cfpb-narratives-sample/complaints.csv.gz", text: "Consumer_complaint", label: "Product" },
};
const args = yargs(process.argv.slice(2))
  .option("dataset", { type: "string", demandOption: true, choices: Object.keys(panel) })
  .option("per-class", { type: "number", default: 10 })
  .option("rows", { type: "number", default: 0, describe: "a seeded sample of this many rows (0: all)" })
  .option("seed", { type: "number", default: 42 })
  .strict()
  .parseSync();
// train's defaults once people's classes are in force.
const tfidf = { minDf: 2, maxDf: 0.95, ngramMax: 1, sublinearTf: false };
const logistic = { C: 10, maxIter: 200, classWeight: "balanced" as const };

const started = performance.now();
const all = await readCorpus(panel[args.dataset]!, args.rows);
const counts = new Map<string, number>();
for (const r of all) counts.set(r.truth, (counts.get(r.truth) ?? 0) + 1);
const rows = all.filter((r) => counts.get(r.truth)! >= 5);
const classes = [...new Set(rows.map((r) => r.truth))].sort();
const classOf = new Map(classes.map((c, k) => [c, k]));
const y = Int32Array.from(rows, (r) => classOf.get(r.truth)!);
const preprocess = createPreprocessor({ keepPos: preprocessStepKeepPos });
const terms = rows.map((r) => preprocess(r.text));
const split = stratifiedSplit(y, 0.2, args.seed);
// N random labels per class from the 80%, the first 80% of each class's trained (at least one).
const rng = new Rng(args.seed);
const trained: number[] = [];
for (let c = 0; c < classes.length; c++) {
  const pool = Array.from(split.train.keys())
    .filter((k) => y[split.train[k]!] === c)
    .map((k) => ({ k, key: rng.next() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, args["per-class"]);
  const kept = Math.max(1, Math.round(pool.length * 0.8));
  for (const { k } of pool.slice(0, kept)) trained.push(k);
}
trained.sort((a, b) => a - b);
const docsOf = (input: RouterInput, at: Int32Array) =>
  Array.from(at, (i) => routerTerms(input, terms[i]!, rows[i]!.text));
const choice = chooseRouterInput(
  routerInputs,
  (input) => docsOf(input, split.train),
  { at: trained, y: Int32Array.from(trained, (k) => y[split.train[k]!]!), nClasses: classes.length },
  { tfidf, logistic, folds: 4, seed: args.seed, resamples: 1000 },
);
const heldOut: Partial<Record<RouterInput, number>> = {};
for (const input of routerInputs) {
  const fitted = fitTransformTfidf(docsOf(input, split.train), tfidf);
  const model = fitLogistic(
    selectRows(fitted.matrix, trained),
    Int32Array.from(trained, (k) => y[split.train[k]!]!),
    classes.length,
    logistic,
  );
  const predicted = predictClasses(model, transformTfidf(fitted.model, docsOf(input, split.test)));
  heldOut[input] = round(
    classificationReport(
      Int32Array.from(split.test, (i) => y[i]!),
      predicted,
      classes.length,
    ).macro.f1,
  );
}
const rounded = (scores: Partial<Record<RouterInput, number>>) =>
  Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, round(v!)]));
console.log(
  JSON.stringify({
    dataset: args.dataset,
    rows: rows.length,
    classes: classes.length,
    perClass: args["per-class"],
    trainedLabels: trained.length,
    chosen: choice.input,
    cvMacroF1: rounded(choice.cvMacroF1),
    differenceInterval: Object.fromEntries(
      Object.entries(choice.differenceInterval).map(([k, [lo, hi]]) => [k, [round(lo), round(hi)]]),
    ),
    heldOutMacroF1: heldOut,
    seconds: Math.round((performance.now() - started) / 1000),
  }),
);
