import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import type { ItsFunction } from "wink-nlp";
import {
  createPreprocessor,
  createTaggedTerms,
  defaultPreprocessOptions,
  type PreprocessOptions,
  prepareText,
} from "../../src/text/preprocess.js";
import { englishStopWords } from "../../src/text/stop-words.js";
import { isRedaction, lettersOnly, withoutDigitWords } from "../../src/text/token-rules.js";
import { winkPosPipeline } from "../../src/text/wink.js";
import { generateTickets } from "../../src/tickets/generator/generate.js";

/** The preprocessor as it was before span support (commit 69c033a), kept verbatim as the reference. */
function referencePreprocessor(options: PreprocessOptions): (text: string) => string[] {
  const nlp = winkPosPipeline();
  const its = nlp.its;
  const keepAllPos = options.keepPos.length === 0;
  const keepPos = new Set(options.keepPos);
  const stopWords = new Set([...englishStopWords, ...options.extraStopWords].map(lettersOnly));
  const lemmaOf = its.lemma as ItsFunction<string>;
  return (text: string): string[] => {
    const terms: string[] = [];
    if (text.trim() === "") return terms;
    const tokens = nlp.readDoc(withoutDigitWords(text.toLowerCase())).tokens();
    const tags = tokens.out(its.pos);
    const types = tokens.out(its.type);
    for (let i = 0; i < tags.length; i++) {
      if (types[i] !== "word" || !(keepAllPos || keepPos.has(tags[i]!))) continue;
      const item = tokens.itemAt(i);
      const term = lettersOnly(options.lemmatize ? item.out(lemmaOf) : item.out(its.normal));
      if (term.length < options.minTokenLength || isRedaction(term) || stopWords.has(term)) continue;
      terms.push(term);
    }
    return terms;
  };
}

const samplePath = new URL("../../data/cfpb-narratives-sample/complaints.csv.gz", import.meta.url);

function cfpbTexts(limit: number): string[] {
  const rows = parse(gunzipSync(readFileSync(samplePath)), { columns: true }) as {
    Consumer_complaint: string;
  }[];
  return rows.slice(0, limit).map((r) => r.Consumer_complaint);
}

function generatedTexts(count: number): string[] {
  const texts: string[] = [];
  for (const { ticket } of generateTickets({
    count,
    seed: 31,
    garbageRate: 0.05,
    startDate: "2024-01-01",
    endDate: "2024-03-31",
  })) {
    if (typeof ticket.text === "string") texts.push(ticket.text);
  }
  return texts;
}

const texts = [...generatedTexts(1500), ...cfpbTexts(600)];

const configurations: PreprocessOptions[] = [
  defaultPreprocessOptions,
  {
    ...defaultPreprocessOptions,
    keepPos: ["NOUN", "PROPN", "VERB"],
    lemmatize: false,
    minTokenLength: 3,
    extraStopWords: ["bank"],
  },
];

for (const options of configurations) {
  test(`createPreprocessor matches the reference implementation on generated and CFPB texts (${JSON.stringify(options.keepPos)})`, () => {
    const actual = createPreprocessor(options);
    const expected = referencePreprocessor(options);
    assert.ok(texts.length > 1800);
    for (const text of texts) assert.deepEqual(actual(text), expected(text));
  });
}

test("a span covering the whole text emits the same terms; spans split the terms by token start", () => {
  const tagged = createTaggedTerms();
  for (const text of texts.slice(0, 300)) {
    const prepared = prepareText(text);
    const whole = tagged(prepared);
    assert.deepEqual(tagged(prepared, { from: 0, to: prepared.length }), whole);
    // Two halves at a space: same context, so the terms of both halves are the whole's terms.
    const cut = prepared.indexOf(" ", prepared.length >> 1);
    if (cut < 0) continue;
    const halves = [
      ...tagged(prepared, { from: 0, to: cut }),
      ...tagged(prepared, { from: cut, to: prepared.length }),
    ];
    assert.deepEqual(halves, whole);
  }
});

test("a span takes one word's terms while its neighbours only give context", () => {
  const tagged = createTaggedTerms();
  const prepared = "i want to charge the card";
  assert.deepEqual(tagged(prepared), ["card"]);
  assert.deepEqual(tagged(prepared, { from: 20, to: 24 }), ["card"]);
  assert.deepEqual(tagged(prepared, { from: 0, to: 19 }), []);
  assert.deepEqual(tagged("the charge on the card", { from: 4, to: 10 }), ["charge"]);
});
