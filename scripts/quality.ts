/**
 * Inflow's automatic labelling and routing against people's labels on the development panel in data/:
 * the seed's method (told the true number of groups), Inflow with exactly what `inflow tickets
 * preprocess|relabel|train` do with no flags (read from those steps), the supervised ceiling of the same
 * router and always answering the largest group. Every topic → group map is learned on one split and
 * scored on the other, macro-F1 over all true groups.
 *   npm run quality -- [--dataset it|cfpb|banking77|clinc150|all] [--json] [--out bench/results/quality.json]
 *     [--merge]   keep the other corpora already in --out (the panel measured one corpus at a time)
 *     [--sample N] score a fixed stratified sample of N tickets of each corpus (seed 1, as the model tests)
 *     [--halves-seed S] draw the k search's halves with seed S instead of relabel's (robustness of the choice)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import {
  type CorpusQuality,
  measureCeiling,
  measureQuality,
  preprocessTexts,
  type QualitySettings,
  seedMethod,
} from "../src/tickets/quality.js";
import {
  type PanelCorpus,
  panelCorpora,
  readLabelledCorpus,
  realDatasets,
  stratifiedSample,
  subsetCorpus,
} from "../src/tickets/quality-data.js";
import type { HeldOutRouting } from "../src/tickets/truth.js";
import { MERGE_OVERLAP } from "../src/topics/merge-topics.js";
import { REFINE_PASSES } from "../src/topics/refine-topics.js";
import { SELECT_K_RULE } from "../src/topics/select-k.js";
import { pipelineDefaults } from "../tasks/tickets/defaults.js";

const args = yargs(hideBin(process.argv))
  .option("dataset", { choices: [...panelCorpora, "all"] as const, default: "all" as const })
  .option("json", { type: "boolean", default: false, describe: "Print JSON instead of a table" })
  .option("out", { type: "string", describe: "Also write the JSON to this file" })
  .option("data-dir", { type: "string", default: "data" })
  .option("merge", {
    type: "boolean",
    default: false,
    describe: "Keep the results of the other corpora already in --out (measured with the same defaults)",
  })
  .option("sample", {
    type: "number",
    describe: "Score a fixed stratified sample of this many tickets of each larger corpus (seed 1)",
  })
  .option("halves-seed", {
    type: "number",
    describe:
      "Seed of the k search's halves (default: relabel's, the NMF seed): how the choice holds on another draw",
  })
  .strict()
  .parseSync();

const defaults = pipelineDefaults();
/**
 * The defaults as reported: the steps' flags and the constants of the k choice (a chosen k's merged topics
 * are refined since 2026-12-07, up to REFINE_PASSES times since the same day's idf power, and the k rule
 * reads the best stability less one standard error since the same day's fifth round: results from before
 * are not merged with later ones).
 */
const reported = {
  ...defaults,
  labelling: {
    ...defaults.labelling,
    kRule: SELECT_K_RULE,
    mergeOverlap: MERGE_OVERLAP,
    refinePasses: REFINE_PASSES,
  },
};

interface DatasetResult {
  dataset: PanelCorpus;
  rows: number;
  /** The corpus's size when `rows` is a stratified sample of it. */
  sampledFrom?: number;
  groups: number;
  sklearnSeed: (typeof realDatasets)[PanelCorpus]["sklearnSeed"] | null;
  seed: CorpusQuality;
  inflow: CorpusQuality;
  ceiling: HeldOutRouting;
}

function measureDataset(name: PanelCorpus): DatasetResult {
  const dataset = realDatasets[name];
  const full = readLabelledCorpus(args["data-dir"], dataset);
  const sampled = args.sample !== undefined && args.sample < full.texts.length;
  const corpus = sampled ? subsetCorpus(full, stratifiedSample(full.truth, args.sample!, 1)) : full;
  const nGroups = corpus.groups.length;
  const measure = (method: string, settings: QualitySettings) => {
    process.stderr.write(`${name}: ${method}\n`);
    const docs = preprocessTexts(corpus.texts, settings.preprocess);
    return { docs, quality: measureQuality(docs, corpus.truth, nGroups, settings) };
  };
  const seed = measure("the seed's method", { ...seedMethod(nGroups), routing: defaults.routing });
  const halvesSeed = args["halves-seed"];
  const inflow = measure("Inflow's defaults", {
    ...defaults,
    labelling: { ...defaults.labelling, ...(halvesSeed !== undefined && { halvesSeed }) },
  });
  process.stderr.write(`${name}: the supervised ceiling\n`);
  return {
    dataset: name,
    rows: corpus.texts.length,
    ...(sampled && { sampledFrom: full.texts.length }),
    groups: nGroups,
    sklearnSeed: dataset.sklearnSeed ?? null,
    seed: seed.quality,
    inflow: inflow.quality,
    ceiling: measureCeiling(inflow.docs, corpus.truth, nGroups, defaults.routing),
  };
}

const names = args.dataset === "all" ? panelCorpora : [args.dataset];
const output = {
  measuredAt: new Date().toISOString(),
  protocol:
    "topics from text alone; labelling: every ticket to its strongest topic, topic → group map learned on one " +
    "stratified half and scored on the other; routing: the train step's defaults on the topic labels, map learned " +
    "on its training split, scored on its held-out split; macro-F1 over all true groups; NMI on all tickets",
  defaults: reported,
  sample: args.sample ?? null,
  halvesSeed: args["halves-seed"] ?? null,
  datasets: [] as DatasetResult[],
};
const kept = args.merge && args.out && existsSync(args.out) ? keptResults(args.out) : [];
// Written after every corpus, so a long run leaves what it has measured.
for (const name of names) {
  output.datasets.push(measureDataset(name));
  if (args.out) {
    output.datasets = panelCorpora.flatMap(
      (c) => output.datasets.find((d) => d.dataset === c) ?? kept.filter((d) => d.dataset === c),
    );
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(output, null, 2)}\n`);
  }
}
/** The other corpora's results in an earlier output, refused when they were measured with other defaults. */
function keptResults(path: string): DatasetResult[] {
  const earlier = JSON.parse(readFileSync(path, "utf8")) as {
    defaults: unknown;
    sample?: number | null;
    halvesSeed?: number | null;
    datasets: DatasetResult[];
  };
  if (JSON.stringify(earlier.defaults) !== JSON.stringify(reported))
    throw new Error(`${path} was measured with other defaults: rerun every corpus (no --merge)`);
  if ((earlier.sample ?? null) !== output.sample)
    throw new Error(`${path} was measured on other samples: rerun every corpus (no --merge)`);
  if ((earlier.halvesSeed ?? null) !== output.halvesSeed)
    throw new Error(
      `${path} was measured with other halves of the k search: rerun every corpus (no --merge)`,
    );
  return earlier.datasets.filter((d) => !names.includes(d.dataset));
}

if (args.json) process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
else printTables(output.datasets);

function printTables(datasets: DatasetResult[]): void {
  const f = (x: number) => x.toFixed(3);
  for (const d of datasets) {
    const sample = d.sampledFrom ? ` (stratified sample of ${d.sampledFrom})` : "";
    console.log(`\n${d.dataset}: ${d.rows} tickets${sample}, ${d.groups} true groups`);
    console.log("method                 k       | NMI    acc    F1     | routing acc  F1    | coverage");
    for (const [name, q] of [
      [`seed (told k)`, d.seed],
      ["Inflow defaults", d.inflow],
    ] as const) {
      const { argmax: a } = q.labelling;
      const r = q.routing.heldOut;
      const { merge } = q.labelling;
      const chosen = merge ? `${merge.fromK}→${q.labelling.k}` : String(q.labelling.k);
      console.log(
        `${name.padEnd(22)} ${chosen.padEnd(7)} | ${f(a.nmi)}  ${f(a.accuracy)}  ${f(a.macroF1)}  | ` +
          `${f(r.accuracy)}  ${f(r.macroF1)} | ${f(q.labelling.coverage)}`,
      );
    }
    if (d.sklearnSeed)
      console.log(
        `seed in scikit-learn   ${String(d.groups).padEnd(7)} | ${f(d.sklearnSeed.nmi)}  ${f(d.sklearnSeed.accuracy)}  ${f(d.sklearnSeed.macroF1)}  | (reference, map not held out)`,
      );
    console.log(
      `supervised ceiling             |                      | ${f(d.ceiling.accuracy)}  ${f(d.ceiling.macroF1)}`,
    );
    const base = d.ceiling.majorityBaseline;
    console.log(
      `always the largest group       |                      | ${f(base.accuracy)}  ${f(base.macroF1)}`,
    );
    const curve = d.inflow.labelling.kCurve;
    if (curve) {
      console.log(`k curve (score): ${curve.map((c) => `${c.k}:${c.score.toFixed(3)}`).join(" ")}`);
      const merge = d.inflow.labelling.merge;
      if (merge) {
        // The merge curve from the chosen k down to the merged k and a few steps past it.
        const steps = merge.curve.filter((s) => s.k >= Math.floor(merge.k / 2));
        const every = Math.max(1, Math.ceil(steps.length / 12));
        const shown = steps.filter((s, i) => i % every === 0 || s.k === merge.k || s.k === merge.k - 1);
        console.log(
          `merge curve (k after the merge: overlap; merged while ≥ ${merge.threshold}): ` +
            shown.map((s) => `${s.k}:${s.overlap.toFixed(3)}`).join(" "),
        );
      }
      const { selectK, fit, merge: merging } = d.inflow.labelling.seconds;
      console.log(
        `k search ${selectK.toFixed(1)} s + fit at the chosen k ${fit.toFixed(1)} s + merge and refinement ${merging.toFixed(1)} s = ` +
          `${((selectK + fit + merging) / fit).toFixed(1)}× a single fit`,
      );
    }
  }
  console.log(
    "\ncorpus     groups | seed NMI  F1     | Inflow k   NMI    F1    routing F1 | ceiling F1 | largest-group acc",
  );
  for (const d of datasets) {
    const s = d.seed.labelling.argmax;
    const i = d.inflow.labelling.argmax;
    console.log(
      `${d.dataset.padEnd(10)} ${String(d.groups).padStart(6)} | ${f(s.nmi)}  ${f(s.macroF1)}  | ${`${d.inflow.labelling.merge?.fromK ?? ""}→${d.inflow.labelling.k}`.padStart(9)}  ${f(i.nmi)}  ${f(i.macroF1)}  ${f(d.inflow.routing.heldOut.macroF1)}      | ${f(d.ceiling.macroF1)}      | ${f(d.ceiling.majorityBaseline.accuracy)}`,
    );
  }
}
