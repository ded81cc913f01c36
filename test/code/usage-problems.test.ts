import assert from "node:assert/strict";
import { test } from "node:test";
import { commandWords, notANumber, usageLine } from "../../tasks/usage-problems.js";

test("the command words are the leading words, up to a flag or a value", () => {
  assert.deepEqual(commandWords(["tickets", "topics", "accept", "5", "--date", "2025-01-01"]), [
    "tickets",
    "topics",
    "accept",
  ]);
  assert.deepEqual(commandWords(["--help"]), []);
});

test("a usage line is one line naming the command's help", () => {
  assert.equal(
    usageLine('Invalid values:\n  Argument: x, Given: "y"\n', ["tickets", "train", "--x", "y"]),
    'Invalid values: Argument: x, Given: "y" (see `inflow tickets train --help`)',
  );
});

test("a number flag given text is named as written, with its text; numbers pass", () => {
  const argv = ["tickets", "generate", "--garbage-rate=zz", "--count", "abc"];
  assert.equal(
    notANumber({ "garbage-rate": Number.NaN, garbageRate: Number.NaN, count: 5 }, argv),
    '--garbage-rate must be a number, got "zz"',
  );
  assert.equal(notANumber({ k: Number.NaN }, ["-k", "x"]), '-k must be a number, got "x"');
  assert.equal(notANumber({ count: 5, seed: 0, text: "abc", list: [1, 2] }, argv), undefined);
});
