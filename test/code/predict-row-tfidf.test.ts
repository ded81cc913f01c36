import assert from "node:assert/strict";
import { test } from "node:test";
import { RowScorer } from "../../src/classify/logistic.js";
import { createPredictor, TfidfRow } from "../../src/classify/model-predict.js";
import { createPreprocessor } from "../../src/text/preprocess.js";
import { fitTfidf, type TfidfOptions, transformTfidf } from "../../src/topics/tfidf.js";
import { Rng } from "../../src/util/random.js";
import { buildRoutingModel, fixtureTickets } from "../harness/routing-model-fixture.js";

/** Zipf-ish random documents over a small alphabet of words, so n-grams repeat. */
function randomDocs(rng: Rng, count: number, words: number): string[][] {
  const docs: string[][] = [];
  for (let d = 0; d < count; d++) {
    const length = rng.int(40);
    const doc: string[] = [];
    for (let i = 0; i < length; i++) doc.push(`w${Math.floor(words * rng.next() * rng.next())}`);
    docs.push(doc);
  }
  return docs;
}

function assertSameRow(row: TfidfRow, model: ReturnType<typeof fitTfidf>, doc: readonly string[]): void {
  const expected = transformTfidf(model, [doc]);
  const actual = row.transform(doc);
  assert.deepEqual(Array.from(actual.indices), Array.from(expected.indices));
  // Bit-identical, not merely close: the API and the batch predict step must agree exactly.
  assert.deepEqual(Array.from(actual.data), Array.from(expected.data));
  // The out-of-scope score's coverage: tokens that are vocabulary terms themselves.
  const vocabulary = new Set(model.vocabulary);
  assert.equal(actual.knownTerms, doc.filter((token) => vocabulary.has(token)).length);
}

const settings: Partial<TfidfOptions>[] = [
  { ngramMax: 1 },
  { ngramMax: 2, sublinearTf: true },
  { ngramMin: 2, ngramMax: 3 },
  { ngramMax: 3, norm: "none", minDf: 2 },
];

for (const options of settings) {
  test(`TfidfRow equals transformTfidf row by row (${JSON.stringify(options)})`, () => {
    const rng = new Rng(11);
    const train = randomDocs(rng, 300, 60);
    const model = fitTfidf(train, options);
    const row = new TfidfRow(model);
    for (const doc of [...train.slice(0, 100), ...randomDocs(rng, 300, 90), [], ["unknown"]]) {
      assertSameRow(row, model, doc);
    }
  });
}

test("TfidfRow: tokens holding spaces join into terms as transformTfidf joins them", () => {
  const model = fitTfidf(
    [
      ["a b", "c"],
      ["a", "b", "c"],
      ["a", "b c"],
    ],
    { ngramMax: 2 },
  );
  const row = new TfidfRow(model);
  for (const doc of [
    ["a b", "c"],
    ["a", "b c"],
    ["a", "b", "c", "a b"],
    ["b c", "a b"],
  ]) {
    assertSameRow(row, model, doc);
  }
});

test("predict gives the probabilities of the full-matrix transform and a sorted explanation", () => {
  const model = buildRoutingModel({ tickets: 300, seed: 5 });
  const predictor = createPredictor(model);
  const preprocess = createPreprocessor(model.preprocessing);
  const proba = new Float64Array(model.classifier.nClasses);
  for (const ticket of fixtureTickets(40, 9)) {
    const x = transformTfidf(model.tfidf, [preprocess(ticket.text)]);
    new RowScorer(model.classifier).proba(x.indices, x.data, proba);
    const best = proba.indexOf(Math.max(...proba));
    const p = predictor.predict(ticket.text);
    assert.equal(p.topicId, model.classTopics[best]);
    assert.equal(p.confidence, proba[best]);
    const weights = p.explanation.map((e) => e.weight);
    assert.deepEqual(
      weights,
      [...weights].sort((a, b) => b - a),
    );
    for (const e of p.explanation) assert.ok(model.tfidf.vocabulary.includes(e.term) && e.weight > 0);
  }
});
