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
  // Measured with idf² and three refinement passes: k 23 (the range's end: warned), none merged, NMI 0.285,
  // macro-F1 0.190, routing macro-F1 0.206 (the seed, told k = 13: 0.227, 0.129, 0.123). The macro-F1 floors
  // moved down from 0.2 and 0.22: idf² took CFPB's macro-F1 from 0.213 and routing from 0.238 for NMI +0.016
  // here and macro-F1 +0.03 to +0.06 on the short-query corpora (docs/quality.md, third round).
  cfpb: { kMin: 7, kMax: 26, nmi: 0.27, macroF1: 0.18, routingMacroF1: 0.19 },
  // Measured on 4,000 stratified queries: k 91 (the sample's largest k: warned), none merged, refined, NMI
  // 0.636, macro-F1 0.348, routing macro-F1 0.357 (before idf²: 87 after the merge, 0.610, 0.292, 0.309; the
  // seed, told k = 77: 0.566, 0.239, 0.223).
  banking77: { sample: 4_000, kMin: 39, kMax: 154, nmi: 0.62, macroF1: 0.33, routingMacroF1: 0.34 },
  // Measured on 4,000 stratified tickets: k 91 (the sample's largest k: warned), none merged, refined
  // (over-split 11×: the map merges topics back onto the 8 groups), NMI 0.331, macro-F1 0.685, routing macro-F1
  // 0.718 (before the band's reference was the best less one standard error: k 64, 0.334, 0.685, 0.702; before
  // idf²: k 45, 0.330, 0.674, 0.699; the seed, told k = 8: 0.227, 0.318, 0.293).
  it: { sample: 4_000, kMin: 4, kMax: 100, nmi: 0.32, macroF1: 0.66, routingMacroF1: 0.68 },
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
