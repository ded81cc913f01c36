/**
 * The fast tagger (wink's modules without its document object, chunks remembered) gives wink's own
 * tokens, tags, lemmas and offsets: on a sample of every panel corpus and on the cases where wink's
 * tokens depend on what the document read before (test/data/preprocess-fast-path.test.ts: whole corpora).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createTaggedTerms, prepareText } from "../../src/text/preprocess.js";
import { FreshDocumentReader } from "../../src/text/wink.js";
import { FastWinkTagger } from "../../src/text/wink-tagger.js";
import { differences, panelTexts } from "../harness/tagger-identity.js";

/** Documents where a word one chunk adds changes how a later chunk splits, and other corner cases. */
const cornerCases = [
  "we ate at chili's, then at chili's again; chili's.",
  "are the chili's reviews any good",
  "does applebee's have good reviews? applebee's. applebee's,",
  "i can't pay, i cant. won't you? cannot do it y'all",
  "mail me at someone@example.com or https://example.com/a?b=c #refund @support :-) 10th 1990s",
  "non\u00a0breaking\u2009spaces\u00a0\u00a0and\ttabs\n\nnew lines\r\n  end",
  "«quoted» “curly” ‘single’ (paren) [bracket] {brace} …ellipsis -- dash – en — em",
  "naïve café résumé straße ﬁnance ǅ İstanbul",
  "u.s. e.g. i.e. a.m. p.m. etc. mr. dr. co-signer e-mail re-open",
  "zorblat's, zorblat's zorblat's. zorblat-zorblat zorblat's",
];

test("the fast tagger equals wink's document API on the corner cases, in any order", () => {
  assert.deepEqual(differences(cornerCases, { keepPos: [] }), []);
  assert.deepEqual(differences([...cornerCases].reverse(), { keepPos: [] }), []);
  // Each text again after all the others: remembered chunks must not leak between documents.
  assert.deepEqual(differences([...cornerCases, ...cornerCases], { keepPos: [], lemmatize: false }), []);
});

test("the fast tagger equals wink's document API on a sample of each panel corpus", () => {
  for (const corpus of ["cfpb", "banking77", "clinc150", "it"] as const) {
    const texts = panelTexts(corpus, corpus === "cfpb" ? 50 : 200);
    assert.deepEqual(differences(texts, { keepPos: [] }), [], corpus);
  }
});

test("a word one chunk adds changes a later chunk of the same document only", () => {
  const tagger = new FastWinkTagger();
  const values = (text: string) => tagger.read(text).values.join(" ");
  // wink takes "chili's" whole before a comma and adds it; the later "chili's" then reads as one word.
  assert.equal(values("chili's, chili's"), "chili's , chili's");
  assert.equal(values("chili's"), "chili 's");
  assert.equal(values("chili's, chili's"), "chili's , chili's");
});

test("the fast tagger reloads past its bounds with the same output", () => {
  const exact = createTaggedTerms({ keepPos: [] }, new FreshDocumentReader());
  const small = createTaggedTerms({ keepPos: [] }, new FastWinkTagger(20, 5));
  for (let i = 0; i < 30; i++) {
    const text = prepareText(
      `zorblat${"q".repeat(i)}'s, quuxish${i % 7}'d gromp. are the chili's reviews good`,
    );
    assert.deepEqual(small(text), exact(text));
  }
});
