import assert from "node:assert/strict";
import { test } from "node:test";
import { withoutDigitWords } from "../../src/text/token-rules.js";
import { Rng } from "../../src/util/random.js";

// The rule as first written (no lookbehind, no digit-free shortcut): the faster one must agree exactly.
const original = (text: string) => text.replace(/[\p{L}\p{M}\p{N}_]*\p{Nd}[\p{L}\p{M}\p{N}_]*/gu, " ");

test("digit words are cut exactly as the original rule cuts them", () => {
  const pieces = [
    "abc",
    "1234",
    "a1",
    "9z",
    "x_2",
    "__",
    " ",
    "  ",
    "-",
    ".",
    "$1,250.00",
    "XX/XX/2019",
    "é",
    "٣",
    "café9",
    "e\u0301",
    "\n",
    "½",
    "Ⅻ",
    "\u{1d7d9}",
    "\u{1d400}",
    "\u{1f600}",
    "\ud800",
    "\udc00",
  ];
  const rng = new Rng(11);
  for (let i = 0; i < 5000; i++) {
    let text = "";
    for (let j = rng.int(12); j >= 0; j--) text += pieces[rng.int(pieces.length)];
    assert.equal(withoutDigitWords(text), original(text), JSON.stringify(text));
  }
  assert.equal(withoutDigitWords("paid $1,250.00 on 12/05 to acct 4417abc"), "paid $ , .  on  /  to acct  ");
  assert.equal(withoutDigitWords("no digits here"), "no digits here");
});
