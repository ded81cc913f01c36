/**
 * npm run bench:oos — the router's out-of-scope score on clinc150 (data/clinc150): a router trained as
 * the train step does (TF-IDF + logistic regression, its defaults) on the 150 intents' train split,
 * scored on the in-scope test split (4,500) against all 1,200 out-of-scope queries. Reports AUROC
 * and out-of-scope recall at 95% in-scope precision for the score and for its parts. Writes
 * bench/results/out-of-scope.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { fitLogistic, predictProba } from "../src/classify/logistic.js";
import { outOfScopeScore } from "../src/classify/out-of-scope.js";
import { auroc, recallAtKeptPrecision } from "../src/novelty/roc.js";
import { createPreprocessor } from "../src/text/preprocess.js";
import { fitTransformTfidf, transformTfidf } from "../src/topics/tfidf.js";
import { round } from "./common.js";

const rows = parse(gunzipSync(readFileSync("data/clinc150/queries.csv.gz")), { columns: true }) as {
  split: string;
  text: string;
  intent: string;
}[];
const preprocess = createPreprocessor();
const tokensOf = (text: string) => {
  try {
    return preprocess(text);
  } catch {
    return null;
  }
};
const train = rows.filter((r) => r.split === "train" && r.intent !== "oos");
const inScope = rows.filter((r) => r.split === "test" && r.intent !== "oos");
const outOfScope = rows.filter((r) => r.intent === "oos");
const intents = [...new Set(train.map((r) => r.intent))].sort();
const trainTokens = train.map((r) => tokensOf(r.text) ?? []);
// The train step's defaults (tasks/tickets/train.ts).
const { model: tfidf, matrix } = fitTransformTfidf(trainTokens, { minDf: 2, maxDf: 0.95, ngramMax: 1 });
const fit = fitLogistic(
  matrix,
  Int32Array.from(train, (r) => intents.indexOf(r.intent)),
  intents.length,
  { C: 1, maxIter: 200, classWeight: "balanced" },
);
const known = new Set(tfidf.vocabulary);

function scores(queries: typeof rows) {
  const tokens = queries.map((r) => tokensOf(r.text) ?? []);
  const proba = predictProba(fit, transformTfidf(tfidf, tokens));
  const k = intents.length;
  return tokens.map((t, i) => {
    let top = 0;
    let entropy = 0;
    for (let c = 0; c < k; c++) {
      const p = proba[i * k + c]!;
      top = Math.max(top, p);
      if (p > 0) entropy -= p * Math.log(p);
    }
    const knownTerms = t.filter((term) => known.has(term)).length;
    return {
      score: outOfScopeScore(top, knownTerms, t.length),
      msp: 1 - top,
      entropy: entropy / Math.log(k),
      unknownShare: t.length ? 1 - knownTerms / t.length : 1,
    };
  });
}

const positives = scores(outOfScope);
const negatives = scores(inScope);
const report = Object.fromEntries(
  (["score", "msp", "entropy", "unknownShare"] as const).map((name) => {
    const p = positives.map((s) => s[name]);
    const n = negatives.map((s) => s[name]);
    const at = recallAtKeptPrecision(p, n, 0.95);
    return [
      name,
      {
        auroc: round(auroc(p, n)),
        recallAt95InScopePrecision: round(at.recall),
        inScopeKept: round(at.negativesKept),
        threshold: round(at.threshold),
      },
    ];
  }),
);
console.log(JSON.stringify(report, null, 2));
writeFileSync(
  "bench/results/out-of-scope.json",
  `${JSON.stringify(
    {
      machine: { cpus: cpus().length, load: loadavg().map(round) },
      data: { trainInScope: train.length, testInScope: inScope.length, outOfScope: outOfScope.length },
      scores: report,
    },
    null,
    2,
  )}\n`,
);
