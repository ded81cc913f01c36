/**
 * The lexicon serving path's terms (INFLOW_API_PREPROCESS=lexicon), frozen: a digest of every term
 * list over generated tickets and a sample of each panel corpus, as the code of 2026-12-07 (main
 * 0c2ad2a, before the CPU work of docs/api-performance.md's "Cheaper text preparation") gave them.
 * Work on the path's speed must leave these byte for byte; a change meant to alter the terms (a new
 * reader, a wink upgrade) changes them on purpose, and the digests are then renewed from its output.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { servingPreprocessor } from "../../src/classify/lexicon.js";
import { createLexiconPreprocessor } from "../../src/text/lexicon.js";
import { type PanelCorpus, panelCorpora } from "../../src/tickets/quality-data.js";
import { buildRoutingModel, fixtureTickets } from "../harness/routing-model-fixture.js";
import { panelTexts } from "../harness/tagger-identity.js";

/** Every `step`-th text: about 200 per corpus. */
const panelSteps: Record<PanelCorpus, number> = { cfpb: 6, banking77: 80, clinc150: 120, it: 240 };

const frozen: Record<string, string> = {
  generated: "9cf7637616ade82c9384972951bcf89e388edb8d715c1235f1f1f26fe537ea2e",
  cfpb: "41411294e01d7716b03451fc3122157d4725478f87c59428f859f62641468315",
  banking77: "3aacd012a341e0a2f475a90dc5dac81b35fd9f2454ba92217979a5ee3658f76e",
  clinc150: "a9af0a74882139a1bb68d5c0b494ea9c91b78d6898de0003f5968400b531ce8a",
  it: "2c1addd34a643c5948e5b2c754a04acee6e20c2156dbe932e8ca5a7c6f61f92c",
};

test("the lexicon path gives the frozen terms on generated tickets and the panel", () => {
  const model = buildRoutingModel({ tickets: 600, seed: 42, version: "frozen-1", lexicon: true });
  const served = servingPreprocessor(model, "lexicon");
  // Every word may matter, and caches small enough to be emptied many times: windows and evictions run.
  const everyWord = createLexiconPreprocessor({}, { isFeatureWord: () => true, maxEntries: 500 });
  const sets: [string, string[]][] = [["generated", fixtureTickets(800, 2024).map((t) => t.text)]];
  for (const corpus of panelCorpora) sets.push([corpus, panelTexts(corpus, panelSteps[corpus])]);
  const digests: Record<string, string> = {};
  for (const [name, texts] of sets) {
    const hash = createHash("sha256");
    for (const text of texts)
      hash.update(`${JSON.stringify(served(text))}\n${JSON.stringify(everyWord(text))}\n`);
    digests[name] = hash.digest("hex");
  }
  assert.deepEqual(digests, frozen);
});
