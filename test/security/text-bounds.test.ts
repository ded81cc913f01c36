/**
 * Attack: tickets built to make the tagger slow (one huge word, thousands of unique long words, a
 * 1M-character ticket). What must hold: nothing longer than the token limit reaches wink, the text
 * is cut at the text limit, and the lexicon tags a new word a fixed number of times. Work is asserted
 * by counting taggings and tokens, never by timing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLexiconPreprocessor } from "../../src/text/lexicon.js";
import { boundText, defaultTextLimits, isTruncated } from "../../src/text/limits.js";
import { createExactSteps } from "../../src/text/pieces.js";
import { createPreprocessor } from "../../src/text/preprocess.js";
import { runSteps } from "../../src/text/steps.js";
import { fastWinkTagger } from "../../src/text/wink-tagger.js";
import { Rng } from "../../src/util/random.js";

function randomWord(rng: Rng, length: number): string {
  let word = "";
  for (let i = 0; i < length; i++) word += String.fromCharCode(97 + Math.floor(rng.next() * 26));
  return word;
}

/** Every text wink reads while `action` runs. */
function textsTagged(action: () => void): string[] {
  const tagger = fastWinkTagger();
  const read = tagger.read;
  const seen: string[] = [];
  tagger.read = (text: string) => {
    seen.push(text);
    return read.call(tagger, text);
  };
  try {
    action();
  } finally {
    tagger.read = read;
  }
  return seen;
}

const longestRun = (texts: string[]) =>
  Math.max(0, ...texts.flatMap((t) => t.split(/\s+/).map((w) => w.length)));

test("runs longer than the token limit never reach the tagger, in either path", () => {
  const rng = new Rng(7);
  const text = `my card ${randomWord(rng, 20_000)} was charged ${"x-".repeat(5000)} twice`;
  const exact = createPreprocessor();
  const lexicon = createLexiconPreprocessor({}, { isFeatureWord: () => true });
  for (const preprocess of [exact, lexicon]) {
    let terms: string[] = [];
    const texts = textsTagged(() => {
      terms = preprocess(text);
    });
    assert.ok(
      longestRun(texts) <= defaultTextLimits.maxTokenChars,
      `a run of ${longestRun(texts)} was tagged`,
    );
    assert.ok(terms.includes("card"));
  }
});

test("boundText cuts at the text limit (never inside a surrogate pair) and drops long runs", () => {
  const limits = { maxTextChars: 10, maxTokenChars: 4 };
  assert.equal(boundText("ab cdefg hijk", limits), "ab   h"); // cut after 10, "cdefg" dropped
  assert.equal(boundText("abcdefghi😀x", { ...limits, maxTokenChars: 100 }), "abcdefghi");
  assert.ok(isTruncated("x".repeat(11), limits));
  assert.ok(!isTruncated("x".repeat(10), limits));
});

test("boundText drops exactly the runs the regular expression finds, whatever their lengths and spacing", () => {
  // The check looks at one position per maxTokenChars + 1; runs just short of, at and past the limit,
  // at every offset, must still be found exactly where /\S{n+1,}/ finds them.
  const rng = new Rng(5);
  const spaces = [" ", "\n", "\t", "\u00a0", "\u3000", "  "];
  for (let i = 0; i < 3000; i++) {
    const maxTokenChars = 1 + rng.int(12);
    let text = "";
    for (let j = rng.int(10); j >= 0; j--) {
      text += "x".repeat(rng.int(maxTokenChars + 3)) + spaces[rng.int(spaces.length)]!.repeat(rng.int(3));
    }
    const expected = text.replace(new RegExp(`(?<!\\S)\\S{${maxTokenChars + 1},}`, "g"), " ");
    assert.equal(boundText(text, { maxTextChars: 1000, maxTokenChars }), expected, JSON.stringify(text));
  }
});

test("a new word is tagged three times by the lexicon (alone and after two probes), then never again", () => {
  const lexicon = createLexiconPreprocessor({}, { isFeatureWord: () => false });
  const rng = new Rng(11);
  const words = Array.from({ length: 50 }, () => randomWord(rng, 12));
  const first = textsTagged(() => lexicon(words.join(" ")));
  assert.equal(first.length, 3 * words.length);
  assert.equal(textsTagged(() => lexicon(words.join(" "))).length, 0);
});

test("a 1M-character ticket: only the text limit is read, and the server path tags it in bounded pieces", () => {
  const rng = new Rng(3);
  let text = "";
  while (text.length < 1_000_000) text += `${randomWord(rng, 1 + Math.floor(rng.next() * 40))} `;
  const steps = createExactSteps({});
  const texts = textsTagged(() => runSteps(steps(text)));
  const read = texts.reduce((sum, t) => sum + t.length, 0);
  // Pieces of 1,000 characters with 200 of context each side: at most 1.5× the limit is tagged.
  assert.ok(read <= 1.5 * defaultTextLimits.maxTextChars, `tagged ${read} characters`);
  assert.ok(Math.max(...texts.map((t) => t.length)) <= 1_500, "a piece longer than its bound was tagged");
  // The batch path reads the same bounded text in one document.
  const whole = textsTagged(() => createPreprocessor()(text));
  assert.equal(whole.length, 1);
  assert.ok(whole[0]!.length <= defaultTextLimits.maxTextChars);
});

test("a contraction wink has no lemma for ('cant.') keeps its normal form instead of throwing", () => {
  const exact = createPreprocessor();
  const lexicon = createLexiconPreprocessor({}, { isFeatureWord: () => true });
  assert.deepEqual(exact("cant."), ["cant"]);
  assert.deepEqual(lexicon("cant."), ["cant"]);
  assert.deepEqual(createPreprocessor({ keepPos: [] })("i cant. do it"), ["cant"]);
});
