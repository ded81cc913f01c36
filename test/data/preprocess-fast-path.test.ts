/**
 * The preprocessor's fast tagger gives exactly wink's tokens (value, POS tag, type, contraction flag,
 * offset) and terms (every tag kept, lemmatized) on every text of the four panel corpora.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { panelCorpora } from "../../src/tickets/quality-data.js";
import { differences, panelTexts } from "../harness/tagger-identity.js";

for (const corpus of panelCorpora) {
  test(`fast and exact wink paths agree on every text of ${corpus}`, () => {
    const texts = panelTexts(corpus);
    assert.ok(texts.length > 1000);
    assert.deepEqual(differences(texts, { keepPos: [] }), []);
  });
}
