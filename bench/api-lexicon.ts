/**
 * How far the API's lexicon preprocessing (INFLOW_API_PREPROCESS=lexicon) strays from the exact
 * path, and what each costs per ticket, on two held-out sets:
 * - generated tickets (another seed than training) with bench:api's fixture model;
 * - the real CFPB sample with a model trained on two thirds of it (product as the class), scored on
 *   the other third.
 * Agreement = share of tickets given the same topic; also the largest confidence difference.
 *
 * Run: node --import tsx bench/api-lexicon.ts   (bench/api.ts also runs it and stores the result)
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { servingPreprocessor } from "../src/classify/lexicon.js";
import { fitLogistic, logisticModel } from "../src/classify/logistic.js";
import type { RoutingModel } from "../src/classify/model.js";
import { buildModelLexicon, countTicketWords } from "../src/classify/model-lexicon.js";
import { createPredictor } from "../src/classify/model-predict.js";
import { createPreprocessor, defaultPreprocessOptions } from "../src/text/preprocess.js";
import { fitTransformTfidf } from "../src/topics/tfidf.js";
import { Rng } from "../src/util/random.js";
import { buildRoutingModel, fixtureTaxonomy, fixtureTickets } from "../test/harness/routing-model-fixture.js";

export interface AgreementResult {
  tickets: number;
  topicAgreement: number;
  maxConfidenceDifference: number;
  /** Per ticket, preprocessing + prediction, single-threaded. */
  microsecondsPerTicket: { exact: number; lexiconFirstPass: number; lexiconWarm: number };
}

const samplePath = new URL("../data/cfpb-narratives-sample/complaints.csv.gz", import.meta.url);

export function measureLexiconAgreement(fixtureModel?: RoutingModel): {
  generated: AgreementResult;
  cfpb: AgreementResult;
} {
  const model =
    fixtureModel ?? buildRoutingModel({ tickets: 2000, seed: 42, version: "bench-1", lexicon: true });
  const generated = agreement(
    model,
    fixtureTickets(3000, 2024).map((t) => t.text),
  );
  const { model: cfpbModel, heldOut } = cfpbModelAndHeldOut();
  return { generated, cfpb: agreement(cfpbModel, heldOut) };
}

function agreement(model: RoutingModel, texts: string[]): AgreementResult {
  const exact = createPredictor(model, 5, servingPreprocessor(model, "exact"));
  const lexicon = createPredictor(model, 5, servingPreprocessor(model, "lexicon"));
  const lexiconFirstPass = microsecondsPerTicket(lexicon, texts);
  const lexiconWarm = microsecondsPerTicket(lexicon, texts);
  const exactTime = microsecondsPerTicket(exact, texts);
  let same = 0;
  let maxDifference = 0;
  for (const text of texts) {
    const a = exact.predict(text);
    const b = lexicon.predict(text);
    if (a.topicId === b.topicId) same++;
    maxDifference = Math.max(maxDifference, Math.abs(a.confidence - b.confidence));
  }
  return {
    tickets: texts.length,
    topicAgreement: round(same / texts.length, 4),
    maxConfidenceDifference: round(maxDifference, 4),
    microsecondsPerTicket: {
      exact: round(exactTime, 1),
      lexiconFirstPass: round(lexiconFirstPass, 1),
      lexiconWarm: round(lexiconWarm, 1),
    },
  };
}

function microsecondsPerTicket(predictor: ReturnType<typeof createPredictor>, texts: string[]): number {
  const start = process.hrtime.bigint();
  for (const text of texts) predictor.predict(text);
  return Number(process.hrtime.bigint() - start) / 1000 / texts.length;
}

/** A routing model of the CFPB sample's products, trained on a seeded two thirds. */
function cfpbModelAndHeldOut(): { model: RoutingModel; heldOut: string[] } {
  const rows = parse(gunzipSync(readFileSync(samplePath)), { columns: true }) as {
    Consumer_complaint: string;
    Product: string;
  }[];
  const rng = new Rng(7);
  const train: typeof rows = [];
  const heldOut: string[] = [];
  for (const row of rows) {
    if (rng.next() < 2 / 3) train.push(row);
    else heldOut.push(row.Consumer_complaint);
  }
  const products = [...new Set(train.map((r) => r.Product))].sort();
  const preprocess = createPreprocessor(defaultPreprocessOptions);
  const { model: tfidf, matrix } = fitTransformTfidf(
    train.map((r) => preprocess(r.Consumer_complaint)),
    { minDf: 2, maxDf: 0.95, ngramMax: 2, sublinearTf: true },
  );
  const y = Int32Array.from(train, (r) => products.indexOf(r.Product));
  const fit = fitLogistic(matrix, y, products.length, { C: 10, classWeight: "balanced", maxIter: 200 });
  const model: RoutingModel = {
    version: "cfpb-sample",
    date: "2024-07-01",
    createdAt: "2024-07-01T00:00:00.000Z",
    preprocessing: { ...defaultPreprocessOptions },
    tfidf,
    classifier: logisticModel(fit),
    classTopics: products.map((_, i) => i),
    taxonomy: fixtureTaxonomy(),
    topicModelVersion: "cfpb-products",
    trainingData: { sha256: "", rows: train.length, testIdsSha256: "" },
    metrics: {},
    // As `train` ships it: the serving lexicon's readings of the training narratives' words.
    lexicon: buildModelLexicon(
      { preprocessing: defaultPreprocessOptions, vocabulary: tfidf.vocabulary },
      countTicketWords(train.map((r) => r.Consumer_complaint)),
    ),
  };
  return { model, heldOut };
}

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(measureLexiconAgreement(), null, 2));
}
