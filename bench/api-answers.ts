/**
 * The served predictor's answers, written one JSON line per ticket, so two builds can be proven to
 * answer alike (`cmp` of the two files): topic, department, confidence, out_of_scope, needs_review
 * and explanation, every number as JSON writes it (the shortest text that reads back as the same
 * double). Tickets: 3,000 generated (bench:api's generator, another seed than its model's training),
 * and 1,000 of each panel corpus in ../data that holds one (banking77, clinc150, the IT tickets).
 * bench:api's model, served as `inflow serve` builds it (lexicon preprocessing, 5 explanation terms).
 *
 * Run: node --import tsx bench/api-answers.ts <out.jsonl>
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildServingPredictor } from "../server/model/predictor.js";
import { defaultTextLimits } from "../src/text/limits.js";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { writeBenchModels } from "./peer-model.js";
import { corpora, readCorpus } from "./review-corpora.js";

const out = process.argv[2];
if (!out) throw new Error("usage: node --import tsx bench/api-answers.ts <out.jsonl>");
const work = mkdtempSync(join(tmpdir(), "inflow-api-answers-"));
try {
  const { model } = await writeBenchModels(work);
  const { predictor } = buildServingPredictor(model, {
    preprocess: "lexicon",
    limits: defaultTextLimits,
    explainTerms: 5,
  });
  const texts = fixtureTickets(3000, 99).map((t) => t.text);
  for (const corpus of Object.values(corpora)) {
    if (!existsSync(join(import.meta.dirname, "../data", corpus.file))) continue;
    for (const row of await readCorpus(corpus, 1000)) texts.push(row.text);
  }
  const lines = texts.map((text) => JSON.stringify(predictor.predict(text)));
  writeFileSync(out, `${lines.join("\n")}\n`);
  console.log(`${lines.length} answers → ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
