/**
 * A panel corpus as bench/review_peer.py reads it without a replay: one JSON line per row with its id,
 * text, true class, the router's tokens (the preprocess step's defaults) and every word's lemma (no POS
 * filter). For the corpora bench:review has no store for (CFPB) or that take long to relabel (IT).
 *
 *   node --import tsx bench/review-features.ts --dataset banking77|clinc150|it|cfpb --out FILE
 */
import { writeFile } from "node:fs/promises";
import yargs from "yargs";
import { createPreprocessor, preprocessStepKeepPos } from "../src/text/preprocess.js";
import { type Corpus, corpora, readCorpus } from "./review-corpora.js";

const panel: Record<string, Corpus> = {
  ...corpora,
  cfpb: { file: "cfpb-narratives-sample/complaints.csv.gz", text: "Consumer_complaint", label: "Product" },
};
const args = yargs(process.argv.slice(2))
  .option("dataset", { type: "string", demandOption: true, choices: Object.keys(panel) })
  .option("out", { type: "string", demandOption: true })
  .strict()
  .parseSync();
const tokens = createPreprocessor({ keepPos: preprocessStepKeepPos });
const everyWord = createPreprocessor({ keepPos: [] });
const rows = await readCorpus(panel[args.dataset]!, 0);
const lines = rows.map((r) =>
  JSON.stringify({
    id: r.id,
    text: r.text,
    truth: r.truth,
    tokens: tokens(r.text),
    words: everyWord(r.text),
  }),
);
await writeFile(args.out, `${lines.join("\n")}\n`);
console.error(`${args.dataset}: ${rows.length} rows → ${args.out}`);
