/**
 * The longest stretch `train`'s router fit runs without pausing (src/util/steps.ts): Node hears Ctrl-C or
 * SIGTERM only at a pause, so this bounds the time from the signal to the step's exit. The IT tickets
 * (every one, topic 0), 60 people's labels per class, train's defaults (router inputs, spreading,
 * self-training all chosen by cross-validation on the labels).
 *   node --import tsx bench/pause-gaps.ts [--tickets N]
 */
import { parseArgs } from "node:util";
import { trainRouterSteps } from "../src/review/train-router.js";
import { defaultTaxonomy } from "../src/topics/taxonomy.js";
import { parseRouterInputs, parseSelfTrainThresholds, propagationFromFlags } from "../tasks/tickets/train.js";
import { itTicketsWithPeopleLabels } from "../test/harness/it-people-labels.js";
import { routerOptionsAtTrainDefaults, trainDefaults } from "../test/harness/train-defaults.js";

const { values } = parseArgs({ options: { tickets: { type: "string", default: "100000" } } });
const { rows, tickets, human } = itTicketsWithPeopleLabels(Number(values.tickets), 60);
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
