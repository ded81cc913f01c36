/**
 * Inflow's automatic labelling and routing against people's labels on the real corpora in
 * data/ (the vendored panel): the seed's method, Inflow's pipeline defaults (read from the relabel, train and
 * preprocess steps themselves) and the recommended settings, plus the supervised ceiling.
 *   npm run quality -- [--dataset it|cfpb|all] [--json] [--out bench/results/quality.json] [--data-dir DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { defaultPreprocessOptions } from "../src/text/preprocess.js";
import {
  type CorpusQuality,
  type LabellingSettings,
  measureCeiling,
  measureCorpus,
  preprocessTexts,
  type QualitySettings,
  type RoutingSettings,
  recommendedMethod,
  type Scores,
  seedMethod,
} from "../src/tickets/quality.js";
import { type RealDataset, readLabelledCorpus, realDatasets } from "../src/tickets/quality-data.js";
import { relabelTask } from "../tasks/tickets/relabel.js";
import { trainTask } from "../tasks/tickets/train.js";

const args = yargs(hideBin(process.argv))
  .option("dataset", { choices: ["it", "cfpb", "all"] as const, default: "all" as const })
  .option("json", { type: "boolean", default: false, describe: "Print JSON instead of a table" })
  .option("out", { type: "string", describe: "Also write the JSON to this file" })
  .option("data-dir", { type: "string", default: "data" })
  .strict()
  .parseSync();

/** A step's option defaults, exactly as its CLI would parse an empty command line. */
function stepDefaults(options: (argv: Argv) => Argv): Record<string, unknown> {
  return options(yargs([])).parseSync() as Record<string, unknown>;
}

const relabel = stepDefaults(relabelTask.options as never);
const train = stepDefaults(trainTask.options as never);
const k = relabel.k as number | undefined;
const pipelineDefaults: Omit<QualitySettings, "routing"> = {
  preprocess: { ...defaultPreprocessOptions },
  labelling: {
    tfidf: {
      minDf: relabel["min-df"] as number,
      maxDf: relabel["max-df"] as number,
      ngramMax: relabel["ngram-max"] as number,
      sublinearTf: relabel["sublinear-tf"] as boolean,
      maxFeatures: (relabel["max-features"] as number | undefined) ?? null,
    },
    k:
      k ??
      Array.from(
        { length: (relabel["k-max"] as number) - (relabel["k-min"] as number) + 1 },
        (_, i) => (relabel["k-min"] as number) + i,
      ),
    nmf: { seed: relabel.seed as number, tol: relabel.tol as number, maxIter: relabel["max-iter"] as number },
    assignThreshold: relabel["assign-threshold"] as number,
  },
};
// Every labelling is routed by the train step's defaults, so the rows differ only in how topics were found.
const routing: RoutingSettings = {
  tfidf: {
    minDf: train["min-df"] as number,
    maxDf: train["max-df"] as number,
    ngramMax: train["ngram-max"] as number,
    sublinearTf: train["sublinear-tf"] as boolean,
  },
  C: train.c as number,
  classWeight: train["class-weight"] === "balanced" ? "balanced" : null,
  maxIter: train["max-iter"] as number,
  testShare: train["test-share"] as number,
  seed: train.seed as number,
};
const methods = { seed: seedMethod, inflowDefaults: pipelineDefaults, recommended: recommendedMethod };

interface DatasetResult {
  dataset: string;
  rows: number;
  groups: string[];
  methods: Record<
    keyof typeof methods,
    { settings: Omit<QualitySettings, "routing">; quality: CorpusQuality }
  >;
  ceiling: Scores;
}

function measureDataset(dataset: RealDataset): DatasetResult {
  const corpus = readLabelledCorpus(args["data-dir"], dataset);
  const results = Object.fromEntries(
    Object.entries(methods).map(([name, method]) => {
      const settings = { ...method, preprocess: { ...method.preprocess, ...dataset.preprocess }, routing };
      process.stderr.write(`${dataset.name}: measuring ${name}\n`);
      return [name, { settings: method, quality: measureCorpus(corpus, settings) }];
    }),
  ) as DatasetResult["methods"];
  process.stderr.write(`${dataset.name}: measuring the supervised ceiling\n`);
  const docs = preprocessTexts(corpus.texts, { ...defaultPreprocessOptions, ...dataset.preprocess });
  return {
    dataset: dataset.name,
    rows: corpus.texts.length,
    groups: corpus.groups,
    methods: results,
    ceiling: measureCeiling(docs, corpus.truth, corpus.groups.length, routing),
  };
}

const names = args.dataset === "all" ? (["it", "cfpb"] as const) : ([args.dataset] as const);
const output = {
  measuredAt: new Date().toISOString(),
  protocol:
    "topics from text alone; each topic mapped to its majority true group (routing: on the train split's topic labels); " +
    "routing = train step defaults on the topic labels, scored on the held-out split against the truth",
  routing,
  datasets: names.map((name) => measureDataset(realDatasets[name])),
};
if (args.out) {
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(output, null, 2)}\n`);
}
if (args.json) process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
else printTable(output.datasets);

function printTable(datasets: DatasetResult[]): void {
  const f = (x: number) => x.toFixed(3);
  const labelling = (l: LabellingSettings, chosen: number) =>
    `${typeof l.k === "number" ? "k" : "auto k"}=${chosen}`;
  for (const d of datasets) {
    console.log(`\n${d.dataset}: ${d.rows} tickets, ${d.groups.length} true groups`);
    console.log(
      "method          k          | argmax NMI  acc    F1    | assigned cov  NMI   acc    F1    | routing acc  F1    | unseen acc  F1",
    );
    for (const [name, { settings, quality: q }] of Object.entries(d.methods)) {
      const { argmax: a, assigned: s } = q.labelling;
      const r = q.routing;
      console.log(
        `${name.padEnd(15)} ${labelling(settings.labelling, q.labelling.k).padEnd(10)} | ` +
          `${f(a.nmi)}  ${f(a.accuracy)}  ${f(a.macroF1)} | ${f(s.coverage)}  ${f(s.nmi)}  ${f(s.accuracy)}  ${f(s.macroF1)} | ` +
          `${f(r.heldOut.accuracy)}  ${f(r.heldOut.macroF1)} | ${f(r.unseen.accuracy)}  ${f(r.unseen.macroF1)}`,
      );
    }
    console.log(
      `supervised ceiling (router on true groups): accuracy ${f(d.ceiling.accuracy)}, macro-F1 ${f(d.ceiling.macroF1)}`,
    );
  }
}
