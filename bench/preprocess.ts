/**
 * Throughput of the ticket preprocessor on one core, on the real CFPB narratives sample.
 * Run: node --import tsx bench/preprocess.ts [--repeat N]
 * Prints one JSON line, with throughput per wall second and per CPU second of this process (which
 * runs on one thread). Input tokens are wink's tokens of the raw text (each punctuation mark is one);
 * whitespace-separated tokens are reported too.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { createPreprocessor } from "../src/text/preprocess.js";
import { winkPosPipeline } from "../src/text/wink.js";
import { round } from "./common.js";

const samplePath = new URL("../data/cfpb-narratives-sample/complaints.csv.gz", import.meta.url);
const repeatArg = process.argv.indexOf("--repeat");
const repeat = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 3;

const rows: { Consumer_complaint: string }[] = parse(gunzipSync(readFileSync(samplePath)), { columns: true });
const texts = rows.map((row) => row.Consumer_complaint);

const loadStart = performance.now();
const nlp = winkPosPipeline();
const modelLoadSeconds = (performance.now() - loadStart) / 1000;

let winkTokens = 0;
let whitespaceTokens = 0;
for (const text of texts) {
  winkTokens += nlp.readDoc(text).tokens().length();
  whitespaceTokens += text.split(/\s+/).filter((token) => token !== "").length;
}

const preprocess = createPreprocessor();
let outputTerms = 0;
for (const text of texts) outputTerms += preprocess(text).length; // warm-up pass, also counts output

const cpuStart = process.cpuUsage();
const start = performance.now();
for (let pass = 0; pass < repeat; pass++) for (const text of texts) preprocess(text);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
// On a shared machine wall time counts other processes' turns too; CPU seconds count only ours.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

console.log(
  JSON.stringify({
    bench: "preprocess",
    config: "wink pipe [pos], keepPos [NOUN], lemmatize",
    docs: texts.length * repeat,
    seconds: round(seconds),
    cpuSeconds: round(cpuSeconds),
    winkTokensPerSecond: Math.round((winkTokens * repeat) / seconds),
    winkTokensPerCpuSecond: Math.round((winkTokens * repeat) / cpuSeconds),
    whitespaceTokensPerSecond: Math.round((whitespaceTokens * repeat) / seconds),
    docsPerSecond: Math.round((texts.length * repeat) / seconds),
    outputTermsPerDoc: round(outputTerms / texts.length),
    modelLoadSeconds: round(modelLoadSeconds),
  }),
);
