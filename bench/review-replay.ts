/**
 * The review loop of `npm run bench:review`, replayed in one process to choose train's defaults fast:
 * the same store (preprocess and relabel through the CLI, cached under --dir), the same simulated
 * reviewer (the console's queue, answered for classes still short and skipped otherwise, or the same
 * count per class at random), the same router (`trainRouter`, what `tickets train` fits) and the same
 * score (held-out macro-F1 over all true classes, router classes mapped to the majority true class on
 * the train split). What it skips is the HTTP API and the publishing, which `bench:review` measures.
 * The router reads the corpus's text as train reads the raw store's, so it chooses its router input
 * (src/review/router-input-choice.ts) as train does; each line says which (`routerInput`) and why
 * (`cvMacroF1`, `differenceInterval`). `--router-inputs terms` replays the router before the choice.
 *
 *   node --import tsx bench/review-replay.ts --dataset banking77|clinc150|it [--per-class 1,5,10]
 *     [--conditions queue,random] [--coverage 0.9] [--propagate-threshold 0.8] [--propagate-weight 0.1]
 *     [--ngram-max 1] [--sublinear-tf] [--dir /tmp/inflow-review-replay] [--dump <dir>]
 *     [--pool-share 0.5] [--cold-every-batch] [--without-topic-model]
 *
 * --pool-share sets the queue's pool (src/review/queue.ts; 0 gives the fixed pool of 10 × the batch it
 * had before). --cold-every-batch asks every batch by the cold-start rule (a seeded sample, typical
 * tickets of diverse groups, margins unread), the candidate measured in docs/console.md ("The queue's
 * second batch"). --without-topic-model skips relabel (an hour on the IT tickets): every ticket is in one
 * topic, people's first labels outvote it, and the score's held-out set is train's test split.
 *
 * --dump writes, per condition and count, each ticket's id, true class, the label given (-1: none),
 * its role in the scored router (`train`: trained on a person's label, `held`: scored, `-`: neither),
 * its text, the router's tokens and every word's lemma (no POS filter), so bench/review_peer.py can
 * score scikit-learn on exactly the same split and labels and swap one piece at a time.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yargs from "yargs";
import { predictClasses, predictProba } from "../src/classify/logistic.js";
import { classificationReport } from "../src/classify/metrics.js";
import { type RouterInput, routerDocs } from "../src/classify/router-input.js";
import type { HumanLabel } from "../src/review/human-labels.js";
import { selectForReview } from "../src/review/queue.js";
import { type TrainedRouter, trainRouter } from "../src/review/train-router.js";
import { createPreprocessor } from "../src/text/preprocess.js";
import type { LabelledTicket } from "../src/tickets/dataset.js";
import { labelledTickets, preprocessedTickets, taxonomyAsOf } from "../src/tickets/models.js";
import type { Taxonomy } from "../src/topics/taxonomy.js";
import { fitTransformTfidf, transformTfidf } from "../src/topics/tfidf.js";
import { Rng } from "../src/util/random.js";
import { openStore } from "../stores/open.js";
import { commonOptions } from "../tasks/task.js";
import { parseSelfTrainThresholds, propagationFromFlags, trainTask } from "../tasks/tickets/train.js";
import { round } from "./common.js";
import { corpora, readCorpus, reviewDate, writeRawTickets } from "./review-corpora.js";

const args = yargs(process.argv.slice(2))
  .option("dataset", { type: "string", default: "banking77", choices: Object.keys(corpora) })
  .option("per-class", { type: "string", default: "" })
  .option("conditions", { type: "string", default: "queue,random" })
  .option("dir", { type: "string", default: join(tmpdir(), "inflow-review-replay") })
  .option("without-topic-model", {
    type: "boolean",
    default: false,
    describe: "screen on the preprocessed tickets, all in one topic (the IT tickets' relabel takes an hour)",
  })
  .option("pool-share", {
    type: "number",
    describe: "the queue's pool share with people's labels (its default 0.5)",
  })
  .option("cold-every-batch", {
    type: "boolean",
    default: false,
    describe:
      "every batch by the queue's cold-start rule, people's labels or not (a candidate, not the default)",
  })
  .option("dump", { type: "string", describe: "write each step's split and labels here (JSONL)" })
  .parseSync();
// Every train flag, at train's defaults unless given (e.g. --human-coverage 0.9 --ngram-max 2).
const train = trainTask
  .options(commonOptions(yargs(["--date", reviewDate, ...process.argv.slice(2)])))
  .parseSync();

const corpus = corpora[args.dataset]!;
const dir = join(args.dir, args.dataset);
if (!existsSync(join(dir, "store"))) {
  const rows = await readCorpus(corpus, 0);
  await writeRawTickets(join(dir, "raw"), rows);
  const env = {
    ...process.env,
    INFLOW_STORE: `file://${dir}/store`,
    INFLOW_RAW_STORE: `file://${dir}/raw`,
    INFLOW_RUN_STORE: `${dir}/runs`,
    INFLOW_LOG_LEVEL: "warn",
  };
  for (const step of args["without-topic-model"] ? ["preprocess"] : ["preprocess", "relabel"]) {
    const run = spawnSync(
      process.execPath,
      [join(import.meta.dirname, "../bin/inflow.js"), "tickets", step, "--date", reviewDate],
      { env, encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`${step}: ${run.stderr}`);
  }
  await mkdir(dir, { recursive: true });
}
const rows = await readCorpus(corpus, 0);
const textOf = new Map(rows.map((r) => [r.id, r.text]));
const routerInputChoices = train["router-inputs"].split(",") as RouterInput[];
const truthOf = new Map(rows.map((r) => [r.id, r.truth]));
const classes = [...new Set(rows.map((r) => r.truth))].sort();
const classIndex = new Map(classes.map((c, k) => [c, k]));
const store = await openStore(`file://${dir}/store`);
// Without a topic model every ticket is in topic 0: people's first labels outvote it, and train's
// stratified split then holds out a fifth of the tickets, the score's held-out set.
const tickets: LabelledTicket[] = args["without-topic-model"]
  ? (await preprocessedTickets(store, reviewDate)).tickets.map((t) => ({
      id: t.id,
      tokens: t.tokens,
      topic: 0,
      confidence: 1,
    }))
  : (await labelledTickets(store, reviewDate))!.tickets;
const taxonomy: Taxonomy = args["without-topic-model"]
  ? { version: 0, reviewThreshold: 0, departments: [], topics: [], catalog: [] }
  : (await taxonomyAsOf(store, reviewDate, false))!.value;
const truth = Int32Array.from(tickets, (t) => classIndex.get(truthOf.get(t.id)!)!);
// People's classes are new topics (the reviewer names each true class), ids past every topic's.
const firstClassId = Math.max(0, ...tickets.map((t) => t.topic), ...taxonomy.topics.map((t) => t.id)) + 1;

function fit(labels: Int32Array): TrainedRouter {
  const human = new Map<string, HumanLabel>();
  labels.forEach((c, i) => {
    if (c < 0) return;
    const ticketId = tickets[i]!.id;
    const answer = { kind: "topic" as const, topic: firstClassId + c };
    human.set(ticketId, { ticketId, answer, reviewer: "simulated", at: "", source: "console" });
  });
  return trainRouter(
    tickets,
    human,
    taxonomy,
    {
      tfidf: {
        minDf: train["min-df"],
        maxDf: train["max-df"],
        ngramMin: 1,
        ngramMax: train["ngram-max"],
        sublinearTf: train["sublinear-tf"],
      },
      logistic: { C: train.c, maxIter: train["max-iter"], classWeight: "balanced" },
      humanC: train["human-c"],
      humanWeight: train["human-weight"],
      testShare: train["test-share"],
      seed: train.seed,
      propagation: propagationFromFlags(train),
      routerInputs: routerInputChoices,
      selfTrainingThresholds: parseSelfTrainThresholds(train["self-train-thresholds"]),
    },
    textOf,
  );
}

/** Every ticket's features as the router reads them (its router input). */
function routerRows(router: TrainedRouter) {
  return transformTfidf(router.tfidf, routerDocs(router.routerInput, tickets, textOf));
}

/**
 * bench:review's score: held out = train's test split and the unassigned tickets, never a ticket
 * somebody labelled (the served router refits on the labels train held out). `macroF1` scores the
 * served router, `macroF1BeforeRefit` the one train scored for evaluate (without the held-out labels).
 */
function score(router: TrainedRouter, labels: Int32Array) {
  const x = routerRows(router);
  const testIds = new Set(Array.from(router.split.test, (i) => router.tickets[i]!.id));
  const heldOut = tickets.map((t, i) => labels[i]! < 0 && (testIds.has(t.id) || t.topic < 0));
  const macroF1Of = (predicted: Int32Array) => {
    const votes = new Map<number, number[]>();
    tickets.forEach((_, i) => {
      if (heldOut[i]) return;
      const counts = votes.get(predicted[i]!) ?? new Array<number>(classes.length).fill(0);
      counts[truth[i]!]!++;
      votes.set(predicted[i]!, counts);
    });
    const mapped = new Map([...votes].map(([k, counts]) => [k, counts.indexOf(Math.max(...counts))]));
    const at = heldOut.flatMap((held, i) => (held ? [i] : []));
    const yTrue = Int32Array.from(at, (i) => truth[i]!);
    const yPred = Int32Array.from(at, (i) => mapped.get(predicted[i]!) ?? classes.length);
    const report = classificationReport(yTrue, yPred, classes.length + 1);
    return round(report.perClass.f1.slice(0, classes.length).reduce((a, b) => a + b, 0) / classes.length);
  };
  return {
    heldOut,
    macroF1: macroF1Of(predictClasses(router.servedFit, x)),
    macroF1BeforeRefit: macroF1Of(predictClasses(router.fit, x)),
    routerClasses: router.classTopics.length,
    routerInput: router.routerInput,
    cvMacroF1: router.routerInputChoice?.cvMacroF1,
    differenceInterval: router.routerInputChoice?.differenceInterval,
    peopleClasses: router.peopleClasses,
    propagated: router.propagated.size,
    spreading: router.spreadingChoice,
    selfTraining: router.selfTrainingChoice,
    x,
  };
}

const counts = args["per-class"]
  ? args["per-class"].split(",").map(Number)
  : [1, 5, 10, ...(corpus.extra ?? [])];
console.error(`${args.dataset}: ${tickets.length} tickets, ${classes.length} classes`);
for (const condition of args.conditions.split(",")) {
  const labels = new Int32Array(tickets.length).fill(-1);
  const given = new Array<number>(classes.length).fill(0);
  // bench:review's random order: each class's rows shuffled by one seeded stream, classes in order.
  const rng = new Rng(11);
  const rowOf = new Map(tickets.map((t, i) => [t.id, i]));
  const order = classes.flatMap((c) =>
    rows
      .filter((r) => r.truth === c)
      .map((r) => ({ r, key: rng.next() }))
      .sort((a, b) => a.key - b.key)
      .flatMap(({ r }) => (rowOf.has(r.id) ? [rowOf.get(r.id)!] : [])),
  );
  // The unsupervised router the console starts from (its cold-start queue does not read it); without a
  // topic model there is none, and the cold-start queue clusters the terms' TF-IDF.
  let router: TrainedRouter | null = args["without-topic-model"] ? null : fit(labels);
  let x = router
    ? routerRows(router)
    : fitTransformTfidf(routerDocs("terms", tickets, textOf), {
        minDf: train["min-df"],
        maxDf: train["max-df"],
      }).matrix;
  for (const k of counts) {
    const started = performance.now();
    if (condition === "random") {
      for (const i of order)
        if (labels[i]! < 0 && given[truth[i]!]! < k) {
          labels[i] = truth[i]!;
          given[truth[i]!]!++;
        }
    } else {
      const skipped = new Set<number>();
      const classes = router?.classTopics.length ?? 2;
      const probabilities = router ? predictProba(router.servedFit, x) : new Float64Array(x.rows * classes);
      while (given.some((n) => n < k)) {
        const exclude = new Set(skipped);
        for (const [i, l] of labels.entries()) if (l >= 0) exclude.add(i);
        const queue = selectForReview(probabilities, classes, x, {
          size: 500,
          exclude,
          uncertainty: !args["cold-every-batch"] && (router?.humanRows ?? 0) > 0,
          poolShare: args["pool-share"],
        });
        if (queue.length === 0) break;
        for (const { row } of queue) {
          if (given[truth[row]!]! < k) {
            labels[row] = truth[row]!;
            given[truth[row]!]!++;
          } else skipped.add(row);
        }
      }
    }
    router = fit(labels);
    const measured = score(router, labels);
    x = measured.x;
    const { x: _, heldOut, ...shown } = measured;
    if (args.dump)
      await dumpStep(join(args.dump, `${args.dataset}-${condition}-${k}.jsonl`), router, labels, heldOut);
    console.log(
      JSON.stringify({
        dataset: args.dataset,
        condition,
        perClass: k,
        ...shown,
        seconds: Math.round((performance.now() - started) / 1000),
      }),
    );
  }
}

async function dumpStep(file: string, router: TrainedRouter, labels: Int32Array, heldOut: boolean[]) {
  const trainedIds = new Set(
    Array.from(router.split.train, (i) => router.tickets[i]!).flatMap((t) => (t.human ? [t.id] : [])),
  );
  const everyWord = createPreprocessor({ keepPos: [] });
  const lines = tickets.map((t, i) =>
    JSON.stringify({
      id: t.id,
      truth: classes[truth[i]!],
      label: labels[i],
      role: trainedIds.has(t.id) ? "train" : heldOut[i] ? "held" : "-",
      text: textOf.get(t.id),
      tokens: t.tokens,
      words: everyWord(textOf.get(t.id)!),
    }),
  );
  await mkdir(args.dump!, { recursive: true });
  await writeFile(file, `${lines.join("\n")}\n`);
}
