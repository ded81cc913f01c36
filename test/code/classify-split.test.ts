import assert from "node:assert/strict";
import { test } from "node:test";
import { stratifiedSplit } from "../../src/classify/split.js";

// Classes of 500, 120, 37, 2 and 1 rows, interleaved.
const sizes = [500, 120, 37, 2, 1];
const y = Int32Array.from(sizes.flatMap((size, k) => Array.from({ length: size }, () => k)));
const rng = [...y.keys()].sort((a, b) => ((a * 7919) % 661) - ((b * 7919) % 661));
const labels = Int32Array.from(rng, (i) => y[i]!);

test("every row lands in exactly one part, both ascending", () => {
  const { train, test: held } = stratifiedSplit(labels, 0.25, 1);
  const all = [...train, ...held].sort((a, b) => a - b);
  assert.deepEqual(all, [...labels.keys()]);
  for (const part of [train, held]) for (let i = 1; i < part.length; i++) assert.ok(part[i - 1]! < part[i]!);
});

test("class proportions are kept and classes of two or more appear on both sides", () => {
  const { train, test: held } = stratifiedSplit(labels, 0.25, 1);
  const count = (rows: Int32Array, k: number) => rows.filter((i) => labels[i] === k).length;
  assert.equal(held.length, Math.round(labels.length * 0.25));
  assert.equal(count(held, 0), 125);
  assert.equal(count(held, 1), 30);
  assert.ok([9, 10].includes(count(held, 2)));
  assert.equal(count(held, 3), 1);
  assert.equal(count(train, 3), 1);
  assert.equal(count(train, 4), 1);
});

test("deterministic per seed", () => {
  assert.deepEqual(stratifiedSplit(labels, 0.2, 7), stratifiedSplit(labels, 0.2, 7));
  assert.notDeepEqual(stratifiedSplit(labels, 0.2, 7).test, stratifiedSplit(labels, 0.2, 8).test);
});
