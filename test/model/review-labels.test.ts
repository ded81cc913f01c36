import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import {
  fitLogistic,
  type LogisticOptions,
  predictClasses,
  predictProba,
} from "../../src/classify/logistic.js";
import { classificationReport } from "../../src/classify/metrics.js";
import type { HumanLabel } from "../../src/review/human-labels.js";
import { spreadLabels } from "../../src/review/propagate.js";
import { selectForReview } from "../../src/review/queue.js";
import { trainRouter } from "../../src/review/train-router.js";
import { preprocessTexts } from "../../src/tickets/quality.js";
import { selectRows } from "../../src/topics/csr.js";
import { defaultTaxonomy } from "../../src/topics/taxonomy.js";
import { fitTransformTfidf, transformTfidf } from "../../src/topics/tfidf.js";
import { Rng } from "../../src/util/random.js";
import { pipelineDefaults } from "../../tasks/tickets/defaults.js";
import { propagationFromFlags } from "../../tasks/tickets/train.js";
import { routerOptionsAtTrainDefaults, trainDefaults } from "../harness/train-defaults.js";

/**
 * What people's labels give the router, on a small real configuration: banking77's first 20
 * intents (2,723 train-split queries to label, 800 test-split queries to score against the truth),
 * preprocessing and TF-IDF at the pipeline's defaults, the router fitted on people's labels alone at
 * train's `--human-c`. A simulated reviewer labels 1, 5, then 10 queries per intent, either as the
 * console's queue offers them (answering those of intents still short, skipping the others; the
 * router refitted after each step, as `tickets train` would be) or chosen at random within each
 * intent. Measured macro-F1, queue vs random: 1 per intent 0.544 vs 0.461, 5: 0.824 vs 0.748,
 * 10: 0.872 vs 0.842 (the queue's pool the least-sure half; with the fixed pool of 10 × the batch
 * it was 0.797 and 0.870 at 5 and 10). The test fails when the queue does not beat random choice at every count, or
 * when labels stop helping (floors 0.03 below the queue's). Label spreading at train's defaults must
 * spread and not cost macro-F1 (labels alone 0.842). `npm run bench:review` measures the whole loop
 * (console HTTP API, pipeline) on the panel.
 */
const file = "data/banking77/queries.csv.gz";
const skip = existsSync(file) ? false : `no ${file} (the real corpora live next to the project checkout)`;
const logistic: Partial<LogisticOptions> = {
  C: trainDefaults["human-c"],
  maxIter: trainDefaults["max-iter"],
  classWeight: "balanced",
};
const counts = [1, 5, 10];

function corpus() {
  const rows = parse(gunzipSync(readFileSync(file)), { columns: true }) as Record<string, string>[];
  const intents = [...new Set(rows.map((r) => r.intent!))].sort().slice(0, 20);
  const index = new Map(intents.map((c, k) => [c, k]));
  const pool = rows.filter((r) => index.has(r.intent!) && r.split === "train");
  const held = rows.filter((r) => index.has(r.intent!) && r.split === "test");
  const { preprocess } = pipelineDefaults();
  const { model, matrix: x } = fitTransformTfidf(
    preprocessTexts(
      pool.map((r) => r.text!),
      preprocess,
    ),
    { minDf: trainDefaults["min-df"], maxDf: trainDefaults["max-df"] },
  );
  const xHeld = transformTfidf(
    model,
    preprocessTexts(
      held.map((r) => r.text!),
      preprocess,
    ),
  );
  return {
    intents: intents.length,
    x,
    xHeld,
    truth: Int32Array.from(pool, (r) => index.get(r.intent!)!),
    truthHeld: Int32Array.from(held, (r) => index.get(r.intent!)!),
  };
}

type Corpus = ReturnType<typeof corpus>;

/** The router fitted on the labelled rows (label ≥ 0) alone, each weighing `weightOf(row)` (1 by default). */
function fitRouter(c: Corpus, labels: Int32Array, weightOf: (row: number) => number = () => 1) {
  const rows = Array.from(labels.keys()).filter((i) => labels[i]! >= 0);
  const fit = fitLogistic(
    selectRows(c.x, rows),
    Int32Array.from(rows, (i) => labels[i]!),
    c.intents,
    logistic,
    Float64Array.from(rows, weightOf),
  );
  const macroF1 = classificationReport(c.truthHeld, predictClasses(fit, c.xHeld), c.intents).macro.f1;
  return { fit, macroF1 };
}

/** Macro-F1 after 1, 5, 10 labels per intent chosen by `choose` (which labels rows in place). */
function curve(c: Corpus, choose: (labels: Int32Array, k: number, router: Float64Array | null) => void) {
  const labels = new Int32Array(c.x.rows).fill(-1);
  let probabilities: Float64Array | null = null;
  return counts.map((k) => {
    choose(labels, k, probabilities);
    const router = fitRouter(c, labels);
    probabilities = predictProba(router.fit, c.x);
    return router.macroF1;
  });
}

function perIntent(c: Corpus, labels: Int32Array): number[] {
  const given = new Array<number>(c.intents).fill(0);
  for (const l of labels) if (l >= 0) given[l]!++;
  return given;
}

/** The reviewer answers queued rows of intents short of `k` labels and skips the rest, until none is short. */
function fromQueue(c: Corpus) {
  const skipped = new Set<number>();
  return (labels: Int32Array, k: number, probabilities: Float64Array | null) => {
    const given = perIntent(c, labels);
    while (given.some((n) => n < k)) {
      const exclude = new Set(skipped);
      labels.forEach((l, i) => {
        if (l >= 0) exclude.add(i);
      });
      // Before any label the router knows only topics; the queue's cold start does not read it.
      const queue = selectForReview(
        probabilities ?? new Float64Array(c.x.rows).fill(1),
        probabilities ? c.intents : 1,
        c.x,
        {
          size: 100,
          exclude,
          uncertainty: probabilities !== null,
        },
      );
      if (queue.length === 0) break;
      for (const { row } of queue) {
        const intent = c.truth[row]!;
        if (given[intent]! < k) {
          labels[row] = intent;
          given[intent]!++;
        } else skipped.add(row);
      }
    }
  };
}

function atRandom(c: Corpus) {
  const rng = new Rng(3);
  const order = Array.from(c.truth.keys())
    .map((i) => ({ i, key: rng.next() }))
    .sort((a, b) => a.key - b.key);
  return (labels: Int32Array, k: number) => {
    const given = perIntent(c, labels);
    for (const { i } of order)
      if (labels[i]! < 0 && given[c.truth[i]!]! < k) {
        labels[i] = c.truth[i]!;
        given[c.truth[i]!]!++;
      }
  };
}

const title = "the review queue's labels route banking77's first 20 intents better than random labels";
test(title, { skip }, (t) => {
  const c = corpus();
  const queue = curve(c, fromQueue(c));
  const random = curve(c, atRandom(c));
  const shown = `queue ${queue.map((f) => f.toFixed(3)).join("/")}, random ${random.map((f) => f.toFixed(3)).join("/")}`;
  t.diagnostic(shown);
  for (const [at, k] of counts.entries())
    assert.ok(queue[at]! > random[at]!, `${k} per intent: the queue loses to random (${shown})`);
  const floors = [0.51, 0.79, 0.84];
  for (const [at, floor] of floors.entries()) assert.ok(queue[at]! >= floor, `floors ${floors}: ${shown}`);
  assert.ok(queue[2]! > queue[0]! + 0.15, `labels stop helping: ${shown}`);
});

test("label spreading at train's defaults adds to what ten labels per intent give", { skip }, (t) => {
  const c = corpus();
  const seeds = new Int32Array(c.x.rows).fill(-1);
  atRandom(c)(seeds, 10);
  const labelsOnly = fitRouter(c, seeds).macroF1;
  const propagation = propagationFromFlags(trainDefaults)!;
  const spread = spreadLabels(c.x, seeds, propagation);
  let right = 0;
  for (let i = 0; i < c.x.rows; i++) if (seeds[i]! < 0 && spread.labels[i] === c.truth[i]) right++;
  // As train fits it: a spread label weighs --propagate-weight, a person's 1.
  const spreadRouter = fitRouter(c, spread.labels, (i) => (seeds[i]! >= 0 ? 1 : propagation.weight));
  const shown = `labels alone ${labelsOnly.toFixed(3)}, with spread labels ${spreadRouter.macroF1.toFixed(3)} (spread to ${spread.adopted}, ${right} right)`;
  t.diagnostic(shown);
  assert.ok(labelsOnly >= 0.81, shown);
  assert.ok(spread.adopted > 0, `nothing spread: ${shown}`);
  assert.ok(spreadRouter.macroF1 >= labelsOnly, shown);
  // Measured 0.857 (1,401 spread, 1,320 right).
  assert.ok(spreadRouter.macroF1 >= 0.845, shown);
});

test("once people name their own classes, train's router learns them alone, at its defaults", {
  skip,
}, (t) => {
  const rows = parse(gunzipSync(readFileSync(file)), { columns: true }) as Record<string, string>[];
  const intents = [...new Set(rows.map((r) => r.intent!))].sort().slice(0, 20);
  const index = new Map(intents.map((c, k) => [c, k]));
  const kept = rows.filter((r) => index.has(r.intent!));
  const tokens = preprocessTexts(
    kept.map((r) => r.text!),
    pipelineDefaults().preprocess,
  );
  const truth = Int32Array.from(kept, (r) => index.get(r.intent!)!);
  // A topic model that lumps the intents into 7 topics; people's classes are new topics 100 + intent.
  const tickets = kept.map((r, i) => ({
    id: r.id!,
    tokens: tokens[i]!,
    topic: truth[i]! % 7,
    confidence: 0.9,
  }));
  const rng = new Rng(5);
  const order = Array.from(tickets.keys())
    .map((i) => ({ i, key: rng.next() }))
    .sort((a, b) => a.key - b.key);
  // 13 labels per intent: train holds 2 or 3 of each out as evaluate's reference (people's classes
  // are in force) and trains on 10 or 11, the count the floor below was measured at.
  const given = new Array<number>(intents.length).fill(0);
  const human = new Map<string, HumanLabel>();
  for (const { i } of order) {
    if (given[truth[i]!]! >= 13) continue;
    given[truth[i]!]!++;
    const answer = { kind: "topic" as const, topic: 100 + truth[i]! };
    human.set(tickets[i]!.id, { ticketId: tickets[i]!.id, answer, reviewer: "r", at: "", source: "console" });
  }
  const router = trainRouter(
    tickets,
    human,
    defaultTaxonomy(),
    routerOptionsAtTrainDefaults({ propagation: propagationFromFlags(trainDefaults) }),
  );
  assert.equal(router.peopleClasses, true);
  assert.deepEqual(
    router.classTopics,
    intents.map((_, k) => 100 + k),
  );
  assert.equal(router.fitC, trainDefaults["human-c"]);
  const held = Array.from(router.split.test);
  const heldLabels = held.filter((i) => human.has(tickets[i]!.id)).length;
  assert.equal(
    heldLabels,
    Math.round(human.size * trainDefaults["test-share"]),
    "a share of people's labels is held out",
  );
  const predicted = predictClasses(router.fit, router.xTest);
  const macroF1 = classificationReport(
    Int32Array.from(held, (i) => truth[i]!),
    Int32Array.from(predicted, (k) => router.classTopics[k]! - 100),
    intents.length,
  ).macro.f1;
  t.diagnostic(
    `held-out macro-F1 ${macroF1.toFixed(3)} on ${held.length} tickets, ${router.propagated.size} spread, spreading chosen on ${JSON.stringify(router.spreadingChoice)}`,
  );
  // Cross-validation on people's labels chose spreading here (measured: 0.848 with it, 0.835 without).
  assert.ok(
    router.spreadingChoice && router.spreadingChoice.weight > 0,
    JSON.stringify(router.spreadingChoice),
  );
  // Measured 0.848 with label spreading at train's defaults (0.835 before it, when nothing spread).
  assert.ok(macroF1 >= 0.83, `held-out macro-F1 ${macroF1.toFixed(3)}`);
});
