import assert from "node:assert/strict";
import { test } from "node:test";
import { OncePerKey } from "../../src/tracking/once-per-key.js";

test("concurrent callers of one key share the first promise; other keys get their own", async () => {
  const cache = new OncePerKey<string>();
  const made: string[] = [];
  const make = async (key: string) => {
    made.push(key);
    return `id-${key}`;
  };
  const values = await Promise.all([cache.get("a", make), cache.get("a", make), cache.get("b", make)]);
  assert.deepEqual(values, ["id-a", "id-a", "id-b"]);
  assert.deepEqual(made, ["a", "b"]);
  assert.equal(await cache.get("a", make), "id-a");
  assert.deepEqual(made, ["a", "b"]);
});

test("a rejected promise is forgotten, so the next call for that key tries again", async () => {
  const cache = new OncePerKey<string>();
  let calls = 0;
  const make = async (key: string) => {
    calls++;
    if (calls === 1) throw new Error("server down");
    return `id-${key}`;
  };
  await assert.rejects(cache.get("a", make), /server down/);
  assert.equal(await cache.get("a", make), "id-a");
  assert.equal(calls, 2);
});
