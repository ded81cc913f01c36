import assert from "node:assert/strict";
import { test } from "node:test";
import { WindowMemo } from "../../src/text/window-memo.js";
import { Rng } from "../../src/util/random.js";

test("a window memo finds what was stored under the same ids, and nothing else, as it grows", () => {
  const memo = new WindowMemo<string>(3, 100_000);
  const rng = new Rng(5);
  const stored = new Map<string, string>();
  const key = new Float64Array(3);
  for (let i = 0; i < 5000; i++) {
    // Ids up to 2^40: keys that share their low 32 bits must still differ.
    for (let k = 0; k < 3; k++) key[k] = rng.int(4) * 2 ** 32 + rng.int(50);
    const name = key.join(",");
    if (stored.has(name)) continue;
    assert.equal(memo.get(key), undefined, name);
    memo.set(key, name);
    stored.set(name, name);
  }
  for (const name of stored.keys()) {
    assert.equal(memo.get(Float64Array.from(name.split(",").map(Number))), name);
  }
});

test("a full window memo is emptied", () => {
  const memo = new WindowMemo<number>(1, 2);
  for (const id of [1, 2, 3]) memo.set(Float64Array.of(id), id);
  assert.equal(memo.get(Float64Array.of(1)), undefined);
  assert.equal(memo.get(Float64Array.of(3)), 3);
});
