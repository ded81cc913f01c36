import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CorpusQuality,
  measureQuality,
  preprocessTexts,
  seedMethod,
} from "../../src/tickets/quality.js";
import {
  type PanelCorpus,
  readLabelledCorpus,
  realDatasets,
  stratifiedSample,
  subsetCorpus,
} from "../../src/tickets/quality-data.js";
import { pipelineDefaults } from "../../tasks/tickets/defaults.js";

/**
 * Automatic labelling and routing against people's labels on the development panel, with exactly what
 * preprocess, relabel and train do without flags, next to the seed's method told the true number of
 * groups (npm run quality has the full figures and docs/quality.md the protocol). The larger corpora are
 * measured on fixed stratified samples to keep the test to a few minutes; the floors were measured on
 * the same samples and sit a little below the measured values.
 */
const defaults = pipelineDefaults();

interface Floors {
  /** Rows sampled (stratified, seed 1); the whole corpus when absent. */
  readonly sample?: number;
  /** The chosen k lies in [kMin, kMax]. */
  readonly kMin: number;
  readonly kMax: number;
  readonly nmi: number;
  readonly macroF1: number;
  readonly routingMacroF1: number;
}

const floors: Partial<Record<PanelCorpus, Floors>> = {
  // Measured: k 23 (the range's end: warned) merged into 21 and refined, NMI 0.269, macro-F1 0.213, routing
  // macro-F1 0.238 (before the refinement 0.269, 0.211, 0.212; the seed, told k = 13: 0.227, 0.129, 0.123).
  cfpb: { kMin: 7, kMax: 26, nmi: 0.26, macroF1: 0.2, routingMacroF1: 0.22 },
  // Measured on 4,000 stratified queries: k 91 (the sample's largest k: warned) merged into 87 and refined,
  // NMI 0.610, macro-F1 0.292, routing macro-F1 0.309 (before the refinement 0.605, 0.289, 0.315; the seed,
  // told k = 77: 0.566, 0.239, 0.223).
  banking77: { sample: 4_000, kMin: 39, kMax: 154, nmi: 0.59, macroF1: 0.27, routingMacroF1: 0.3 },
  // Measured on 4,000 stratified tickets: k 45, none merged, refined (over-split 5.6×: the map merges topics
  // back onto the 8 groups), NMI 0.330, macro-F1 0.674, routing macro-F1 0.699 (before the refinement 0.325,
  // 0.671, 0.680; the seed, told k = 8: 0.227, 0.318, 0.293); with unigrams (before bigrams became relabel's
  // default) k 91 → 88, 0.334, 0.686, 0.687.
  it: { sample: 4_000, kMin: 4, kMax: 100, nmi: 0.32, macroF1: 0.65, routingMacroF1: 0.68 },
};

function describeQuality(q: CorpusQuality): string {
  const f = (x: number) => x.toFixed(3);
  const { argmax: a } = q.labelling;
  const r = q.routing.heldOut;
  return (
    `k ${q.labelling.k}; NMI ${f(a.nmi)} acc ${f(a.accuracy)} F1 ${f(a.macroF1)}; ` +
    `routing acc ${f(r.accuracy)} F1 ${f(r.macroF1)} (largest group ${f(r.majorityBaseline.accuracy)}); ` +
    `coverage ${f(q.labelling.coverage)}`
  );
}

for (const [name, floor] of Object.entries(floors) as [PanelCorpus, Floors][]) {
  test(`${name}: Inflow's defaults clear their floors and never drop under the seed's method`, (t) => {
    const full = readLabelledCorpus("data", realDatasets[name]);
    const corpus = floor.sample ? subsetCorpus(full, stratifiedSample(full.truth, floor.sample, 1)) : full;
    const groups = corpus.groups.length;
    const measure = (settings: typeof defaults) =>
      measureQuality(preprocessTexts(corpus.texts, settings.preprocess), corpus.truth, groups, settings);
    const seed = measure({ ...seedMethod(groups), routing: defaults.routing });
    const inflow = measure(defaults);
    t.diagnostic(`seed (k told): ${describeQuality(seed)}`);
    t.diagnostic(`Inflow defaults: ${describeQuality(inflow)}`);
    t.diagnostic(`k curve: ${inflow.labelling.kCurve?.map((c) => `${c.k}:${c.score.toFixed(3)}`).join(" ")}`);

    const k = inflow.labelling.k;
    // The chosen k's topics are merged, and the whole merge curve is reported.
    const merge = inflow.labelling.merge;
    assert.ok(merge && merge.k === k && merge.fromK >= k && merge.curve.length === merge.fromK - 1);
    assert.ok(k >= floor.kMin && k <= floor.kMax, `k ${k} outside [${floor.kMin}, ${floor.kMax}]`);
    const a = inflow.labelling.argmax;
    const r = inflow.routing.heldOut;
    assert.ok(a.nmi >= floor.nmi, `NMI ${a.nmi} < ${floor.nmi}`);
    assert.ok(a.macroF1 >= floor.macroF1, `macro-F1 ${a.macroF1} < ${floor.macroF1}`);
    assert.ok(r.macroF1 >= floor.routingMacroF1, `routing macro-F1 ${r.macroF1} < ${floor.routingMacroF1}`);
    // Never under the seed's method (told the true k), nor under always answering the largest group.
    assert.ok(a.nmi > seed.labelling.argmax.nmi, `NMI ${a.nmi} ≤ seed ${seed.labelling.argmax.nmi}`);
    assert.ok(
      a.macroF1 > seed.labelling.argmax.macroF1,
      `macro-F1 ${a.macroF1} ≤ seed ${seed.labelling.argmax.macroF1}`,
    );
    assert.ok(
      r.macroF1 > seed.routing.heldOut.macroF1,
      `routing F1 ${r.macroF1} ≤ seed ${seed.routing.heldOut.macroF1}`,
    );
    assert.ok(
      r.accuracy >= r.majorityBaseline.accuracy,
      `routing accuracy ${r.accuracy} below the largest group`,
    );
  });
}
