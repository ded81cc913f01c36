import assert from "node:assert/strict";
import { test } from "node:test";
import { createPreprocessor, defaultPreprocessOptions } from "../../src/text/preprocess.js";
import { englishStopWords } from "../../src/text/stop-words.js";

const nouns = createPreprocessor();

test("keeps lemmatized nouns in text order", () => {
  assert.deepEqual(nouns("The banks charged my credit cards twice"), ["bank", "credit", "card"]);
  assert.deepEqual(nouns("I called them about the mortgage payments, but they said nothing."), [
    "mortgage",
    "payment",
  ]);
  assert.deepEqual(nouns("Inquiries and collections from the agencies"), ["inquiry", "collection", "agency"]);
});

test("repeated nouns are kept for term frequency", () => {
  assert.deepEqual(nouns("The fee, then another fee, then a late fee."), ["fee", "fee", "fee"]);
});

test("lower-cases before tagging, so company names count as nouns", () => {
  assert.deepEqual(nouns("I disputed it with Equifax."), ["equifax"]);
  assert.deepEqual(nouns("I disputed it with Equifax."), nouns("i disputed it with equifax."));
});

test("drops CFPB redactions, amounts, dates and words holding digits", () => {
  const terms = nouns(
    "On XX/XX/2019 XXXX XXXX charged fees of {$25.00} to my account 1234abc and xxxx-xxxx.",
  );
  assert.deepEqual(terms, ["fee", "account"]);
  assert.deepEqual(nouns("XXXX XXXX XX/XX/XXXX xxxx 3rd 12/05/2021 $ 100.00"), []);
});

test("drops punctuation inside and between words", () => {
  assert.deepEqual(nouns("The co-signer sent an e-mail to the bank's branches!!!"), [
    "cosigner",
    "email",
    "bank",
    "branch",
  ]);
});

test("POS filter is configurable", () => {
  const nounsAndVerbs = createPreprocessor({ keepPos: ["NOUN", "VERB"] });
  assert.deepEqual(nounsAndVerbs("The banks charged my credit cards twice"), [
    "bank",
    "charge",
    "credit",
    "card",
  ]);
  const everyTag = createPreprocessor({ keepPos: [] });
  assert.deepEqual(everyTag("The banks charged my credit cards twice"), [
    "bank",
    "charge",
    "credit",
    "card",
    "twice",
  ]);
  assert.throws(() => createPreprocessor({ keepPos: ["NN"] }), /unknown POS tags NN/);
});

test("stop words are removed, including after lemmatization and extra ones", () => {
  const everyTag = createPreprocessor({ keepPos: [] });
  const terms = everyTag("They were not able to do anything about the loans, and I have been waiting.");
  const stop = new Set(englishStopWords);
  assert.deepEqual(
    terms.filter((term) => stop.has(term)),
    [],
  );
  assert.ok(terms.includes("loan"));
  // "were"/"been" lemmatize to "be" and "have" stays "have": all stop words.
  assert.ok(!terms.includes("be") && !terms.includes("have"));
  const withExtra = createPreprocessor({ extraStopWords: ["Credit"] });
  assert.deepEqual(withExtra("The banks charged my credit cards twice"), ["bank", "card"]);
});

test("lemmatization and minimum length are configurable", () => {
  assert.deepEqual(createPreprocessor({ lemmatize: false })("The banks charged my credit cards twice"), [
    "banks",
    "credit",
    "cards",
  ]);
  assert.deepEqual(createPreprocessor({ minTokenLength: 5 })("The banks charged my credit cards twice"), [
    "credit",
  ]);
  assert.throws(() => createPreprocessor({ minTokenLength: 0 }), RangeError);
});

test("empty and whitespace-only text gives no terms", () => {
  assert.deepEqual(nouns(""), []);
  assert.deepEqual(nouns("   \n\t  "), []);
  assert.deepEqual(nouns("... !!! ???"), []);
});

test("defaults are the seed's: nouns, lemmatized, two letters or more", () => {
  assert.deepEqual(defaultPreprocessOptions.keepPos, ["NOUN"]);
  assert.equal(defaultPreprocessOptions.lemmatize, true);
  assert.equal(defaultPreprocessOptions.minTokenLength, 2);
  assert.deepEqual(defaultPreprocessOptions.extraStopWords, []);
});

test("a word wink has no lemma for stands as is (banking77: 'I need to transfer to my account and cant.')", () => {
  assert.deepEqual(nouns("I need to transfer to my account and cant."), ["account", "cant"]);
});
