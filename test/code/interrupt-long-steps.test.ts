import assert from "node:assert/strict";
import { test } from "node:test";
import { buildModelLexicon, buildModelLexiconSteps } from "../../src/classify/model-lexicon.js";
import { findNovel, findNovelSteps } from "../../src/novelty/novel.js";
import { neighbourhoodNovelty, neighbourhoodNoveltySteps } from "../../src/novelty/signals.js";
import { neighbourGraph, neighbourGraphSteps } from "../../src/review/propagate.js";
import { chooseRouterInput, chooseRouterInputSteps } from "../../src/review/router-input-choice.js";
import { chooseSelfTraining, chooseSelfTrainingSteps } from "../../src/review/self-training.js";
import { chooseSpreading, chooseSpreadingSteps } from "../../src/review/spreading-choice.js";
import { trainRouter, trainRouterSteps } from "../../src/review/train-router.js";
import { defaultPreprocessOptions } from "../../src/text/preprocess.js";
import type { LabelledTicket } from "../../src/tickets/dataset.js";
import { labelDocuments, labelDocumentsSteps, type TopicModel } from "../../src/topics/artifact.js";
import { fitTopics, fitTopicsSteps, type TopicFitOptions } from "../../src/topics/fit-topics.js";
import { defaultTaxonomy } from "../../src/topics/taxonomy.js";
import { fitTransformTfidf } from "../../src/topics/tfidf.js";
import { Rng } from "../../src/util/random.js";
import { runStepsInterruptibly, type Steps } from "../../src/util/steps.js";
import { routerOptionsAtTrainDefaults } from "../harness/train-defaults.js";

/*
 * Ctrl-C or SIGTERM during relabel's merge, label's projection of the tickets on the topics or its
 * novelty search, or train's
 * fit, its cross-validated choices on people's labels, its neighbour graph or its serving lexicon: Node runs a signal's handler only on the event loop, so each pauses (src/util/steps.ts) and stops
 * at its first pause after the step's AbortSignal is aborted, instead of when the whole step is over.
 * Not aborted, the pausing work gives the plain function's answer to the bit.
 */

/** 400 short documents from 4 planted topics of 10 words each, some words from anywhere; topic = planted. */
function plantedDocs(): { tokens: string[]; topic: number }[] {
  const rng = new Rng(7);
  const word = (topic: number, i: number) => `t${topic}w${i}`;
  return Array.from({ length: 400 }, () => {
    const topic = rng.int(4);
    const tokens = Array.from({ length: 12 }, () =>
      rng.next() < 0.85 ? word(topic, rng.int(10)) : word(rng.int(4), rng.int(10)),
    );
    return { tokens, topic };
  });
}

const docs = plantedDocs().map((d) => d.tokens);
const fitOptions: TopicFitOptions = { tfidf: { minDf: 1 }, k: { min: 2, max: 8 }, nmf: { seed: 0 } };
const reason = new Error("interrupted by SIGINT");
const never = () => new AbortController().signal;

test("an abort as relabel's merge starts stops it in the merge's or the refinement's projection", async () => {
  const aborting = new AbortController();
  let merging = false;
  const fit = runStepsInterruptibly(
    fitTopicsSteps(docs, {
      ...fitOptions,
      progress: {
        stage: (stage) => {
          if (stage !== "merge") return;
          merging = true;
          aborting.abort(reason);
        },
        scored: () => {},
      },
    }),
    aborting.signal,
  );
  await assert.rejects(fit, (error) => error === reason);
  assert.ok(merging, "the abort came at the merge");
});

function topicModel(): TopicModel {
  const fitted = fitTopics(docs, { ...fitOptions, k: 4 });
  return {
    version: "v1",
    date: "2026-01-05",
    createdAt: "2026-01-05T00:00:00.000Z",
    preprocessing: defaultPreprocessOptions,
    tfidf: fitted.tfidf,
    k: fitted.k,
    components: fitted.nmf.h,
    topicIds: [0, 1, 2, 3],
    assignThreshold: 0.3,
    reconstructionError: fitted.nmf.reconstructionError,
    trainingData: { sha256: "x", rows: docs.length },
  };
}

test("label's projection stops at its first pause once aborted; not aborted, it labels as labelDocuments", async () => {
  const model = topicModel();
  const aborted = new AbortController();
  aborted.abort(reason);
  await assert.rejects(runStepsInterruptibly(labelDocumentsSteps(model, docs), aborted.signal), (error) => {
    return error === reason;
  });
  const plain = labelDocuments(model, docs);
  const pausing = await runStepsInterruptibly(labelDocumentsSteps(model, docs), never(), 0);
  assert.deepEqual(pausing.w, plain.w);
  assert.deepEqual(pausing.topic, plain.topic);
});

const tickets: LabelledTicket[] = plantedDocs().map((d, i) => ({
  id: `t${i}`,
  tokens: d.tokens,
  topic: d.topic,
  confidence: 0.9,
}));
const routerOptions = routerOptionsAtTrainDefaults({ propagation: null });

test("train's fit stops at its first L-BFGS pause once aborted; not aborted, it fits as trainRouter", async () => {
  const aborted = new AbortController();
  aborted.abort(reason);
  const steps = trainRouterSteps(tickets, new Map(), defaultTaxonomy(), routerOptions);
  await assert.rejects(runStepsInterruptibly(steps, aborted.signal), (error) => error === reason);
  const plain = trainRouter(tickets, new Map(), defaultTaxonomy(), routerOptions);
  const pausing = await runStepsInterruptibly(
    trainRouterSteps(tickets, new Map(), defaultTaxonomy(), routerOptions),
    never(),
    0,
  );
  assert.ok(plain.fit.iterations > 1, "the fit takes several iterations, so it pauses");
  assert.deepEqual(pausing.fit.weights, plain.fit.weights);
  assert.deepEqual(pausing.report, plain.report);
});

test("train's serving lexicon stops at its first pause once aborted; not aborted, it reads as buildModelLexicon", async () => {
  const model = { preprocessing: defaultPreprocessOptions, vocabulary: ["fee", "charge"] };
  // More words than one step reads, each counted in enough tickets to be shipped.
  const counts = new Map(Array.from({ length: 600 }, (_, i) => [`word${i}`, 3]));
  const aborted = new AbortController();
  aborted.abort(reason);
  await assert.rejects(
    runStepsInterruptibly(buildModelLexiconSteps(model, counts), aborted.signal),
    (error) => {
      return error === reason;
    },
  );
  const pausing = await runStepsInterruptibly(buildModelLexiconSteps(model, counts), never(), 0);
  assert.deepEqual(pausing, buildModelLexicon(model, counts));
});

/** Aborted, `steps()` rejects with the reason at its first pause; not aborted, it answers `plain` to the bit. */
async function stopsOrAnswersAsPlain<T>(steps: () => Steps<T>, plain: T): Promise<void> {
  const aborted = new AbortController();
  aborted.abort(reason);
  await assert.rejects(runStepsInterruptibly(steps(), aborted.signal), (error) => error === reason);
  assert.deepEqual(await runStepsInterruptibly(steps(), never(), 0), plain);
}

// People labelled ten tickets of each planted topic; the choices are cross-validated on them.
const x = fitTransformTfidf(docs, { minDf: 1 }).matrix;
const peopleAt = [0, 1, 2, 3].flatMap((topic) =>
  Array.from(tickets.keys())
    .filter((i) => tickets[i]!.topic === topic)
    .slice(0, 10),
);
const people = {
  at: peopleAt,
  y: Int32Array.from(peopleAt, (i) => tickets[i]!.topic),
  nClasses: 4,
};
const unlabelledAt = Array.from(tickets.keys()).filter((i) => !peopleAt.includes(i));
const choice = { logistic: { C: 10, maxIter: 100, classWeight: null }, folds: 2, seed: 1, resamples: 100 };
const spreading = { neighbours: 5, alpha: 0.5, iterations: 10, threshold: 0.8 };

test("train's neighbour graph stops at its first pause once aborted; not aborted, it is neighbourGraph's", async () => {
  await stopsOrAnswersAsPlain(() => neighbourGraphSteps(x, 5), neighbourGraph(x, 5));
});

test("train's choice of the router's input stops at its first pause once aborted; not aborted, it chooses as chooseRouterInput", async () => {
  const options = { ...choice, tfidf: { minDf: 1 } };
  const docsOf = () => docs;
  await stopsOrAnswersAsPlain(
    () => chooseRouterInputSteps(["terms", "words"], docsOf, people, options),
    chooseRouterInput(["terms", "words"], docsOf, people, options),
  );
});

test("train's choice of label spreading stops at its first pause once aborted; not aborted, it chooses as chooseSpreading", async () => {
  const graph = neighbourGraph(x, spreading.neighbours);
  const options = { ...choice, spreading, weights: [0.1], humanWeight: 1 };
  await stopsOrAnswersAsPlain(
    () => chooseSpreadingSteps(x, graph, people, options),
    chooseSpreading(x, graph, people, options),
  );
});

test("train's choice of self-training stops at its first pause once aborted; not aborted, it chooses as chooseSelfTraining", async () => {
  const options = { ...choice, thresholds: [0.9, 0.5], humanWeight: 1 };
  await stopsOrAnswersAsPlain(
    () => chooseSelfTrainingSteps(x, unlabelledAt, people, options),
    chooseSelfTraining(x, unlabelledAt, people, options),
  );
});

test("label's novelty search stops at its first pause once aborted; not aborted, it finds as findNovel", async () => {
  const model = topicModel();
  const training = docs.map((tokens, i) => ({ id: `r${i}`, tokens }));
  // A run of known kinds and a new one (words no training ticket has), whose novel tickets are then
  // projected on the topics (a topic adopted since the fit).
  const rng = new Rng(11);
  const run = [
    ...docs.slice(0, 100),
    ...Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => `new${rng.int(10)}`)),
  ].map((tokens, i) => ({ id: `c${i}`, tokens }));
  const options = { neighbours: 10, minZ: 1.5, maxCompared: 20_000 };
  const plain = findNovel(model, new Set([1]), training, run, options);
  assert.ok(plain.novel.length > 0, "the new kind is found");
  await stopsOrAnswersAsPlain(() => findNovelSteps(model, new Set([1]), training, run, options), plain);
  // The neighbourhood test itself pauses, not only the projection after it.
  const [reference, current] = [training, run].map((set) => set.map((t) => t.tokens));
  await stopsOrAnswersAsPlain(
    () => neighbourhoodNoveltySteps(reference!, current!, options),
    neighbourhoodNovelty(reference!, current!, options),
  );
});
