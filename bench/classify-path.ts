/**
 * CPU per ticket of the stream's classify path in one thread, without Kafka: bench:stream's model
 * and tickets (generated, seed 2024) through the served preprocessing (INFLOW_API_PREPROCESS) and
 * the predictor without explanations, as `inflow stream` runs them. Reported separately: the first
 * 5,000 tickets (cold caches), the last 10,000 (caches warm, but every ticket new: the steady state
 * of a long-running router), and TF-IDF + logistic regression over the steady state's terms.
 * Process CPU time (process.cpuUsage), so the machine's load moves it less than wall time.
 *
 * The model ships the serving lexicon of its training words, as `train`'s do; --no-lexicon leaves it out.
 *
 * Run: node --import tsx bench/classify-path.ts [--tickets 40000] [--mode lexicon|exact] [--no-lexicon]
 */
import { type PreprocessMode, servingSteps } from "../src/classify/lexicon.js";
import { createPredictor } from "../src/classify/model-predict.js";
import { runSteps } from "../src/text/steps.js";
import { buildRoutingModel, fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { argument } from "./common.js";

const count = Number(argument("--tickets") ?? 40_000);
const mode = (argument("--mode") ?? "lexicon") as PreprocessMode;
const model = buildRoutingModel({
  tickets: 2000,
  seed: 42,
  version: "bench-1",
  lexicon: !process.argv.includes("--no-lexicon"),
});
const texts = fixtureTickets(count, 2024).map((t) => t.text);
const steps = servingSteps(model, mode);
const predictor = createPredictor(model, 0, (text) => runSteps(steps(text)));

/** µs of process CPU per item of `items` spent in `work`. */
function cpuMicroseconds<T>(items: readonly T[], work: (item: T) => void): number {
  const before = process.cpuUsage();
  for (const item of items) work(item);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / items.length;
}

const cold = texts.slice(0, 5000);
const steady = texts.slice(count - 10_000);
const coldPreprocess = cpuMicroseconds(cold, (text) => runSteps(steps(text)));
cpuMicroseconds(texts.slice(5000, count - 10_000), (text) => runSteps(steps(text)));
const terms: string[][] = [];
const steadyPreprocess = cpuMicroseconds(steady, (text) => terms.push(runSteps(steps(text))));
const predict = cpuMicroseconds(terms, (t) => predictor.predictTokens(t));
console.log(
  JSON.stringify({
    mode,
    tickets: count,
    shippedLexiconWords: model.lexicon?.words.length ?? 0,
    cpuMicrosecondsPerTicket: {
      preprocessColdFirst5000: Math.round(coldPreprocess),
      preprocessSteadyLast10000: Math.round(steadyPreprocess),
      tfidfAndLogisticRegression: Math.round(predict * 10) / 10,
    },
  }),
);
