/**
 * The preprocessor's fast tagger gives exactly wink's tokens (value, POS tag, type, contraction flag,
 * offset) and terms (every tag kept, lemmatized) on every text of the four panel corpora, and its
 * digit-word scan cuts what the regular expression it replaced cuts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { withoutDigitWords } from "../../src/text/token-rules.js";
import { panelCorpora } from "../../src/tickets/quality-data.js";
import { differences, panelTexts } from "../harness/tagger-identity.js";

for (const corpus of panelCorpora) {
  test(`fast and exact wink paths agree on every text of ${corpus}`, () => {
    const texts = panelTexts(corpus);
    assert.ok(texts.length > 1000);
    assert.deepEqual(differences(texts, { keepPos: [] }), []);
  });
}

/** The rule as a regular expression (the original form, without the lookbehind that only makes it faster). */
const digitWords = /[\p{L}\p{M}\p{N}_]*\p{Nd}[\p{L}\p{M}\p{N}_]*/gu;

test("the digit-word scan cuts what the regular expression cuts, on every text of the panel", () => {
  for (const corpus of panelCorpora) {
    for (const text of panelTexts(corpus)) {
      for (const variant of [text, text.toLowerCase()]) {
        assert.equal(
          withoutDigitWords(variant),
          variant.replace(digitWords, " "),
          `${corpus}: ${variant.slice(0, 80)}`,
        );
      }
    }
  }
});
