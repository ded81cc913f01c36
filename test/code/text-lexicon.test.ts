import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { createLexiconPreprocessor } from "../../src/text/lexicon.js";
import { createPreprocessor } from "../../src/text/preprocess.js";
import { winkPosPipeline } from "../../src/text/wink.js";
import { fixtureTickets } from "../harness/routing-model-fixture.js";

const exact = createPreprocessor();
const everyWordMatters = { isFeatureWord: () => true };
const cfpbSample = new URL("../../data/cfpb-narratives-sample/complaints.csv.gz", import.meta.url);

test("words that read the same in any context give the exact terms", () => {
  const lexicon = createLexiconPreprocessor({}, everyWordMatters);
  for (const text of [
    "My checking account was closed and the bank kept the deposit.",
    "XXXX XXXX charged fees of {$25.00} to my account 1234abc on XX/XX/2019.",
    "The co-signer sent an e-mail to the bank's branches!!!",
    "",
    "   \n\t ",
    "12345 678",
  ]) {
    assert.deepEqual(lexicon(text), exact(text), text);
  }
});

test("a word read as noun or verb by context is tagged in its window", () => {
  const lexicon = createLexiconPreprocessor({}, everyWordMatters);
  // "charge" is a verb after "to" and a noun after "the": the exact path drops one and keeps the other.
  assert.deepEqual(exact("i want to charge the card"), ["card"]);
  assert.deepEqual(exact("the charge on the card"), ["charge", "card"]);
  assert.deepEqual(lexicon("i want to charge the card"), ["card"]);
  assert.deepEqual(lexicon("the charge on the card"), ["charge", "card"]);
});

test("a context-dependent word no feature uses takes its context-free reading", () => {
  const noFeatures = createLexiconPreprocessor({}, { isFeatureWord: () => false });
  const alone = exact("charge");
  assert.deepEqual(noFeatures("i want to charge the card"), [...alone, "card"]);
  assert.deepEqual(noFeatures("the charge on the card"), [...alone, "card"]);
});

test("results do not depend on what the caches hold", () => {
  const roomy = createLexiconPreprocessor({}, everyWordMatters);
  const tiny = createLexiconPreprocessor({}, { ...everyWordMatters, maxEntries: 3 });
  const texts = fixtureTickets(40, 3).map((t) => t.text);
  const first = texts.map(roomy);
  assert.deepEqual(texts.map(tiny), first);
  // Again in reverse order, with warm caches.
  assert.deepEqual(texts.map(roomy).reverse(), first.reverse());
});

test("on generated tickets the lexicon mostly reproduces the exact terms", () => {
  const lexicon = createLexiconPreprocessor({}, everyWordMatters);
  const texts = fixtureTickets(60, 17).map((t) => t.text);
  let same = 0;
  let sharedTerms = 0;
  let exactTerms = 0;
  for (const text of texts) {
    const a = exact(text);
    const b = lexicon(text);
    if (a.join(" ") === b.join(" ")) same++;
    const counts = new Map<string, number>();
    for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of b) {
      const c = counts.get(t) ?? 0;
      if (c > 0) sharedTerms++;
      counts.set(t, c - 1);
    }
    exactTerms += a.length;
  }
  // Measured: about 9 in 10 tickets give identical term lists and over 99% of terms are shared.
  assert.ok(same / texts.length > 0.75, `identical term lists ${same}/${texts.length}`);
  assert.ok(sharedTerms / exactTerms > 0.98, `shared terms ${sharedTerms}/${exactTerms}`);
});

test("neighbours the tagger reads alike share a window, with the terms the window's own tagging gives", () => {
  const nlp = winkPosPipeline();
  // "the"/"a" and "card"/"loan" are one tagger class each; a redaction or a word with a digit is itself.
  assert.equal(nlp.taggerClass("the"), nlp.taggerClass("a"));
  assert.equal(nlp.taggerClass("card"), nlp.taggerClass("loan"));
  assert.equal(nlp.taggerClass("xxxx"), null);
  assert.equal(nlp.taggerClass("card,"), null);
  const lexicon = createLexiconPreprocessor({}, everyWordMatters);
  for (const text of [
    "i want to charge the card",
    "i want to charge a loan",
    "they charge a fee",
    "the charge on the card",
    "a charge on a loan",
  ]) {
    assert.deepEqual(lexicon(text), exact(text), text);
  }
});

test("on real CFPB narratives the shared windows give what tagging every window gives", () => {
  const rows = parse(gunzipSync(readFileSync(cfpbSample)), { columns: true }) as {
    Consumer_complaint: string;
  }[];
  const texts = rows.slice(0, 120).map((row) => row.Consumer_complaint);
  const shared = createLexiconPreprocessor({}, everyWordMatters);
  // A one-entry cache tags (nearly) every window itself.
  const fresh = createLexiconPreprocessor({}, { ...everyWordMatters, maxEntries: 1 });
  for (const text of texts) assert.deepEqual(shared(text), fresh(text));
});
