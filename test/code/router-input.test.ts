import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyTexts } from "../../server/model/classify.js";
import { buildServingPredictor } from "../../server/model/predictor.js";
import type { ServedModel } from "../../server/model/served.js";
import { predictTopicsBatch } from "../../src/classify/batch-predict.js";
import { fitLogistic, logisticModel, predictClasses } from "../../src/classify/logistic.js";
import { openRoutingModel, type RoutingModel, sealRoutingModel } from "../../src/classify/model.js";
import { createPredictor } from "../../src/classify/model-predict.js";
import { routerInputOf, routerTerms } from "../../src/classify/router-input.js";
import type { HumanLabel } from "../../src/review/human-labels.js";
import { trainRouter } from "../../src/review/train-router.js";
import {
  createPreprocessor,
  defaultPreprocessOptions,
  preprocessStepKeepPos,
} from "../../src/text/preprocess.js";
import type { LabelledTicket } from "../../src/tickets/dataset.js";
import { selectRows, stackRows } from "../../src/topics/csr.js";
import { fixtureTaxonomy } from "../harness/routing-model-fixture.js";

/**
 * Intent in the function words preprocessing drops (clinc150's short queries): "what", "why" and "when"
 * questions about the same things. Their terms are the same in every class, their words are not.
 */
const questions = ["what", "why", "when"];
const subjects = [
  "is the card fee",
  "did my payment fail",
  "does the transfer arrive",
  "was the account closed",
  "will the refund come",
  "is the limit raised",
];
const preprocessing = { ...defaultPreprocessOptions, keepPos: preprocessStepKeepPos };
const terms = createPreprocessor(preprocessing);

function corpus(perClass: number, textOf: (c: number, n: number) => string) {
  const tickets: LabelledTicket[] = [];
  const texts = new Map<string, string>();
  const truth: number[] = [];
  for (let n = 0; n < perClass; n++)
    for (let c = 0; c < questions.length; c++) {
      const id = `t${c}-${n}`;
      const text = textOf(c, n);
      texts.set(id, text);
      tickets.push({ id, tokens: terms(text), topic: 0, confidence: 0.5 });
      truth.push(c);
    }
  return { tickets, texts, truth };
}

const asked = (c: number, n: number) => `${questions[c]} ${subjects[n % subjects.length]}`;
/** The other way round: the subject carries the class, the question word is noise. */
const subjectClass = (c: number, n: number) => `${questions[n % 3]} ${subjects[c]} ${subjects[c + 3]}`;

/** People name their own classes (topics 100 +) for the first `labelled` tickets of each class. */
function peopleLabels(tickets: LabelledTicket[], truth: number[], labelled: number) {
  const labels = new Map<string, HumanLabel>();
  tickets.forEach((t, i) => {
    if (Number(t.id.split("-")[1]) >= labelled) return;
    const answer = { kind: "topic" as const, topic: 100 + truth[i]! };
    labels.set(t.id, { ticketId: t.id, answer, reviewer: "r", at: "", source: "console" });
  });
  return labels;
}

const options = {
  tfidf: { minDf: 1, maxDf: 1, ngramMax: 1 },
  logistic: { C: 1, maxIter: 200, classWeight: "balanced" as const },
  humanC: 10,
  humanWeight: 1,
  testShare: 0.2,
  seed: 42,
  propagation: null,
  routerInputs: ["terms", "terms+words", "words"] as const,
};

function train(data: ReturnType<typeof corpus>, texts: ReadonlyMap<string, string> | null, labelled = 16) {
  return trainRouter(
    data.tickets,
    peopleLabels(data.tickets, data.truth, labelled),
    fixtureTaxonomy(),
    options,
    texts,
  );
}

/** The artifact `tickets train` writes (its fields that matter here), sealed and opened again. */
function storedModel(trained: ReturnType<typeof train>): RoutingModel {
  const model: RoutingModel = {
    version: "2026-01-01.v000001",
    date: "2026-01-01",
    createdAt: "2026-01-01T00:00:00.000Z",
    preprocessing,
    routerInput: trained.routerInput,
    tfidf: trained.tfidf,
    classifier: logisticModel(trained.servedFit),
    classTopics: trained.classTopics,
    taxonomy: fixtureTaxonomy(),
    topicModelVersion: "t",
    trainingData: { sha256: "", rows: trained.tickets.length, testIdsSha256: "" },
    metrics: {},
  };
  return openRoutingModel(sealRoutingModel(model), "test", null);
}

test("train chooses the words when people's labels show the intent is in them, and the terms otherwise", () => {
  const byWords = train(corpus(24, asked), corpus(24, asked).texts);
  assert.equal(byWords.peopleClasses, true);
  assert.notEqual(byWords.routerInput, "terms");
  const cv = byWords.routerInputChoice!.cvMacroF1;
  assert.ok(cv[byWords.routerInput]! > cv.terms! + 0.3, JSON.stringify(cv));
  assert.ok(byWords.report.macro.f1 > 0.95, `held-out macro-F1 ${byWords.report.macro.f1}`);

  const bySubject = corpus(24, subjectClass);
  const stays = train(bySubject, bySubject.texts);
  assert.equal(stays.routerInput, "terms", JSON.stringify(stays.routerInputChoice));
  // Without the texts, or before people's classes are in force, nothing is chosen: the terms.
  const data = corpus(24, asked);
  assert.equal(train(data, null).routerInput, "terms");
  const fewLabels = train(data, data.texts, 1);
  assert.equal(fewLabels.peopleClasses, false);
  assert.equal(fewLabels.routerInputChoice, null);
  assert.equal(fewLabels.routerInput, "terms");
});

test("every consumer of a stored model reads a ticket the way train chose: batch predict, evaluate, serve (exact, lexicon) and the stream", async () => {
  const data = corpus(24, asked);
  const model = storedModel(train(data, data.texts));
  assert.notEqual(routerInputOf(model), "terms");
  // Unseen wording: only a featurizer that reads the words can tell the classes apart.
  const unseen = questions.flatMap((q, c) => [
    { id: `u${c}a`, text: `${q} is my card fee`, c },
    { id: `u${c}b`, text: `${q} does the transfer arrive`, c },
  ]);
  const texts = unseen.map((u) => u.text);
  const expected = unseen.map((u) => 100 + u.c);
  assert.equal(
    new Set(unseen.map((u) => terms(u.text).join(" "))).size,
    2,
    "the terms do not tell the classes apart",
  );

  const batch = createPredictor(model);
  assert.deepEqual(
    texts.map((t) => batch.predict(t).topicId),
    expected,
    "tickets predict (createPredictor's default)",
  );
  const evaluated = predictTopicsBatch(
    model,
    unseen.map((u) => ({ id: u.id, tokens: terms(u.text) })),
    new Map(unseen.map((u) => [u.id, u.text])),
  );
  assert.deepEqual(Array.from(evaluated.topics), expected, "evaluate (predictTopicsBatch)");
  for (const preprocess of ["exact", "lexicon"] as const) {
    const { predictor, termSteps } = buildServingPredictor(model, {
      preprocess,
      limits: preprocessing,
      explainTerms: 3,
    });
    const served: ServedModel = {
      model,
      predictor,
      termSteps,
      offload: null,
      preprocess,
      fingerprint: "sha256:test",
      uri: "test",
      loadedAt: new Date(0),
    };
    for (const mainThread of ["budget", "share"] as const) {
      const predictions = await classifyTexts(served, texts, { mainThread });
      assert.deepEqual(
        predictions.map((p) => p.topicId),
        expected,
        `serve ${preprocess} (${mainThread === "budget" ? "the API" : "the stream"})`,
      );
      predictions.forEach((p, i) => {
        assert.equal(p.confidence, batch.predict(texts[i]!).confidence, "the same features as batch predict");
      });
    }
  }
  // Evaluate without the texts cannot read the words: an error, never the terms alone.
  assert.throws(
    () => predictTopicsBatch(model, [{ id: "x", tokens: ["card"] }], null),
    /no text for ticket x: the router reads its words/,
  );
});

test("an artifact written before the router input existed loads and reads the terms; an unknown input is refused", () => {
  const data = corpus(24, asked);
  const { routerInput: _, ...old } = storedModel(train(data, null));
  const opened = openRoutingModel(sealRoutingModel(old as RoutingModel), "old.json", null);
  assert.equal(opened.routerInput, undefined);
  assert.equal(routerInputOf(opened), "terms");
  const text = "why was the account closed";
  assert.deepEqual(routerTerms("terms", terms(text), text), terms(text));
  const predictor = createPredictor(opened);
  assert.deepEqual(predictor.predict(text), predictor.predictTokens(terms(text)));
  // A model file comes from outside the type system: it may name any router input.
  const foreign = { ...opened };
  Reflect.set(foreign, "routerInput", "letters");
  assert.throws(
    () => openRoutingModel(sealRoutingModel(foreign), "bad.json", null),
    /bad.json: unknown router input "letters"/,
  );
});

test("surface words: lower-cased, two characters or more, prefixed apart from the terms, bounded like the terms", () => {
  assert.deepEqual(routerTerms("words", [], "Say it AGAIN, o 2x!"), ["w:say", "w:it", "w:again", "w:2x"]);
  assert.deepEqual(routerTerms("terms+words", ["card"], "my card"), ["card", "w:my", "w:card"]);
  assert.deepEqual(routerTerms("words", [], "abc def", { maxTextChars: 3, maxTokenChars: 100 }), ["w:abc"]);
});

test("the served router is refitted on people's held-out labels; the scored router and its held-out topics never saw them", () => {
  const data = corpus(24, asked);
  const trained = train(data, data.texts);
  const { tickets, split, xTrain, xTest, classTopics } = trained;
  const heldAt = Array.from(split.test.keys()).filter((k) => tickets[split.test[k]!]!.human);
  assert.ok(heldAt.length > 0 && heldAt.length === trained.humanHeldOut, `${heldAt.length} held out`);
  const trainAt = Array.from(split.train.keys()).filter((k) => tickets[split.train[k]!]!.human);
  const classOf = (i: number) => classTopics.indexOf(tickets[i]!.topic);
  const logistic = { ...options.logistic, C: options.humanC };
  const onTrain = fitLogistic(
    selectRows(xTrain, trainAt),
    Int32Array.from(trainAt, (k) => classOf(split.train[k]!)),
    classTopics.length,
    logistic,
  );
  const onEvery = fitLogistic(
    stackRows(selectRows(xTrain, trainAt), selectRows(xTest, heldAt)),
    Int32Array.from([
      ...trainAt.map((k) => classOf(split.train[k]!)),
      ...heldAt.map((k) => classOf(split.test[k]!)),
    ]),
    classTopics.length,
    logistic,
  );
  assert.deepEqual(
    trained.fit.weights,
    onTrain.weights,
    "the scored router trains on the training split's labels only",
  );
  assert.deepEqual(
    trained.servedFit.weights,
    onEvery.weights,
    "the served router trains on every people's label",
  );
  assert.notDeepEqual(trained.servedFit.weights, trained.fit.weights);
  // What evaluate scores (train publishes it as held-out-topics.json): the scored router's topics.
  assert.deepEqual(
    Array.from(trained.heldOutTopics),
    Array.from(predictClasses(trained.fit, xTest), (c) => classTopics[c]!),
  );
  // One label per class: nothing is held out, nothing refitted.
  const few = train(data, data.texts, 1);
  assert.equal(few.humanHeldOut, 0);
  assert.equal(few.servedFit, few.fit);
});
