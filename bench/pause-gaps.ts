/**
 * The longest stretch `train`'s router fit runs without pausing (src/util/steps.ts): Node hears Ctrl-C or
 * SIGTERM only at a pause, so this bounds the time from the signal to the step's exit. The IT tickets
 * (every one, topic 0), 60 people's labels per class, train's defaults (router inputs, spreading,
 * self-training all chosen by cross-validation on the labels).
 *   node --import tsx bench/pause-gaps.ts [--tickets N]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import type { HumanLabel } from "../src/review/human-labels.js";
import { trainRouterSteps } from "../src/review/train-router.js";
import { preprocessTexts } from "../src/tickets/quality.js";
import { defaultTaxonomy } from "../src/topics/taxonomy.js";
import { Rng } from "../src/util/random.js";
import { pipelineDefaults } from "../tasks/tickets/defaults.js";
import { parseRouterInputs, parseSelfTrainThresholds, propagationFromFlags } from "../tasks/tickets/train.js";
import { routerOptionsAtTrainDefaults, trainDefaults } from "../test/harness/train-defaults.js";

const { values } = parseArgs({ options: { tickets: { type: "string", default: "100000" } } });
const all = parse(gunzipSync(readFileSync("data/it-service-tickets/tickets.csv.gz")), {
  columns: true,
}) as Record<string, string>[];
const rng = new Rng(3);
const rows = all
  .map((r) => ({ r, key: rng.next() }))
  .sort((a, b) => a.key - b.key)
  .slice(0, Number(values.tickets))
  .map(({ r }, i) => ({ id: `t${i}`, text: r.Document!, truth: r.Topic_group! }));
const classes = [...new Set(rows.map((r) => r.truth))].sort();
const tokens = preprocessTexts(
  rows.map((r) => r.text),
  pipelineDefaults().preprocess,
);
const tickets = rows.map((r, i) => ({ id: r.id, tokens: tokens[i]!, topic: 0, confidence: 1 }));
const human = new Map<string, HumanLabel>();
const given = new Array<number>(classes.length).fill(0);
for (const r of rows) {
  const c = classes.indexOf(r.truth);
  if (given[c]! >= 60) continue;
  given[c]!++;
  human.set(r.id, {
    ticketId: r.id,
    answer: { kind: "topic", topic: 1 + c },
    reviewer: "r",
    at: "",
    source: "console",
  });
}
const options = {
  ...routerOptionsAtTrainDefaults({
    propagation: propagationFromFlags(trainDefaults),
    selfTrainingThresholds: parseSelfTrainThresholds(trainDefaults["self-train-thresholds"]),
  }),
  routerInputs: parseRouterInputs(trainDefaults["router-inputs"]),
};
const texts = new Map(rows.map((r) => [r.id, r.text]));
const steps = trainRouterSteps(tickets, human, defaultTaxonomy(), options, texts);
const started = performance.now();
let last = started;
// The three longest stretches without a pause, and when (seconds from the start) each ended.
let longest: { seconds: number; endsAt: number }[] = [];
let pauses = 0;
for (let step = steps.next(); !step.done; step = steps.next()) {
  const now = performance.now();
  longest = [
    ...longest,
    { seconds: +((now - last) / 1000).toFixed(1), endsAt: +((now - started) / 1000).toFixed(1) },
  ]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 3);
  last = now;
  pauses++;
}
const now = performance.now();
console.log(
  JSON.stringify({
    tickets: tickets.length,
    labels: human.size,
    totalSeconds: +((now - started) / 1000).toFixed(1),
    tailSeconds: +((now - last) / 1000).toFixed(1),
    pauses,
    longestUnpaused: longest,
  }),
);
