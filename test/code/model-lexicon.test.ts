import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { servingPreprocessor } from "../../src/classify/lexicon.js";
import { openRoutingModel, type RoutingModel, sealRoutingModel } from "../../src/classify/model.js";
import {
  buildModelLexicon,
  countTicketWords,
  lexiconReader,
  minLexiconTickets,
} from "../../src/classify/model-lexicon.js";
import { createLexiconPreprocessor } from "../../src/text/lexicon.js";
import { buildRoutingModel, fixtureTickets } from "../harness/routing-model-fixture.js";

const withLexicon = buildRoutingModel({ tickets: 300, seed: 5, lexicon: true });
const { lexicon: shipped, ...withoutLexicon } = withLexicon;
const texts = [
  ...fixtureTickets(80, 11).map((t) => t.text),
  ...(
    parse(
      gunzipSync(
        readFileSync(new URL("../../data/cfpb-narratives-sample/complaints.csv.gz", import.meta.url)),
      ),
      { columns: true },
    ) as { Consumer_complaint: string }[]
  )
    .slice(0, 40)
    .map((row) => row.Consumer_complaint),
];

test("a model ships the readings of words held by two or more training tickets", () => {
  assert.ok(shipped);
  assert.equal(shipped.reader, lexiconReader);
  const counts = countTicketWords(fixtureTickets(300, 5).map((t) => t.text));
  const expected = [...counts].filter(([, n]) => n >= minLexiconTickets).map(([w]) => w);
  assert.deepEqual(shipped.words, expected.sort());
  assert.ok(shipped.words.length > 500, `${shipped.words.length} words`);
  // Both kinds of reading are shipped: context-free terms and context-dependent words.
  assert.ok(shipped.readings.some((r) => r === null));
  assert.ok(shipped.readings.some((r) => r !== null && r.length > 0));
});

test("terms are the same with or without the shipped lexicon, whatever the cache size", () => {
  const reference = servingPreprocessor(withoutLexicon, "lexicon");
  const expected = texts.map(reference);
  assert.deepEqual(texts.map(servingPreprocessor(withLexicon, "lexicon")), expected);
  // Shipped readings stay when the caches are cleared at every word.
  const vocabulary = new Set(withLexicon.tfidf.vocabulary.flatMap((term) => term.split(" ")));
  const known = shipped!.words.map((w, i) => [w, shipped!.readings[i]!] as const);
  const tiny = createLexiconPreprocessor(withLexicon.preprocessing, {
    isFeatureWord: (term) => vocabulary.has(term),
    maxEntries: 1,
    known,
  });
  assert.deepEqual(texts.map(tiny), expected);
  assert.deepEqual([...texts].reverse().map(tiny), [...expected].reverse());
});

test("the lexicon survives sealing and opening; a malformed one refuses the model", () => {
  const opened = openRoutingModel(sealRoutingModel(withLexicon), "model.json", null);
  assert.deepEqual(opened.lexicon, shipped);
  const malformed: unknown[] = [
    { ...shipped, readings: shipped!.readings.slice(1) },
    { ...shipped, words: shipped!.words.map((w, i) => (i === 3 ? "two words" : w)) },
    { ...shipped, readings: shipped!.readings.map((r, i) => (i === 3 ? "account" : r)) },
    { ...shipped, reader: 1 },
  ];
  for (const lexicon of malformed) {
    const text = sealRoutingModel({ ...withLexicon, lexicon } as RoutingModel);
    assert.throws(() => openRoutingModel(text, "model.json", null), /lexicon is malformed/);
  }
});

test("a lexicon whose readings are not this reader's is refused when served", () => {
  const readings = shipped!.readings.map((r) => (r === null ? ["forged"] : [...r, "forged"]));
  const forged = { ...withLexicon, lexicon: { ...shipped!, readings } };
  assert.throws(() => servingPreprocessor(forged, "lexicon"), /lexicon's reading of word 1 of/);
  // The exact path does not read the lexicon.
  assert.doesNotThrow(() => servingPreprocessor(forged, "exact"));
});

test("another reader's lexicon is not used: the words are read afresh, with the same terms", () => {
  const readings = shipped!.readings.map(() => ["forged"]);
  const older = { ...withLexicon, lexicon: { ...shipped!, reader: "lexicon-0", readings } };
  const reference = servingPreprocessor(withoutLexicon, "lexicon");
  const served = servingPreprocessor(older, "lexicon");
  for (const text of texts.slice(0, 20)) assert.deepEqual(served(text), reference(text));
});

test("building the lexicon reads nothing but the counted words", () => {
  const lexicon = buildModelLexicon(
    { preprocessing: withLexicon.preprocessing, vocabulary: withLexicon.tfidf.vocabulary },
    new Map([
      ["fees", 5],
      ["charge", 2],
      ["the", 9],
      ["once", 1],
    ]),
  );
  assert.deepEqual(lexicon.words, ["charge", "fees", "the"]);
  // "charge" is a noun or a verb by context, and a feature word: read in its window.
  assert.deepEqual(lexicon.readings, [null, ["fee"], []]);
});
