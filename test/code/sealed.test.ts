import assert from "node:assert/strict";
import { test } from "node:test";
import { seal, unseal } from "../../src/store/sealed.js";
import { InputError } from "../../src/util/errors.js";

const payload = {
  name: "m",
  weights: new Float64Array([0.1, -2.5, 1e-300]),
  ids: new Int32Array([3, -1]),
  nested: { f: new Float32Array([1.5]) },
};

test("typed arrays survive sealing bit for bit", () => {
  const back = unseal<typeof payload>(seal("x.model", 1, payload), "x.model", [1], "m.json");
  assert.deepEqual(back.weights, payload.weights);
  assert.deepEqual(back.ids, payload.ids);
  assert.deepEqual(back.nested.f, payload.nested.f);
  assert.ok(back.weights instanceof Float64Array);
});

test("corrupted, truncated, foreign and future artifacts are refused with clear errors", () => {
  const text = seal("x.model", 1, payload);
  const flipped = text.replace('"name":"m"', '"name":"n"');
  assert.throws(
    () => unseal(flipped, "x.model", [1], "m.json"),
    (e: Error) => e instanceof InputError && /checksum mismatch/.test(e.message),
  );
  assert.throws(
    () => unseal(text.slice(0, text.length - 40), "x.model", [1], "m.json"),
    /truncated|checksum/,
  );
  assert.throws(() => unseal(text, "y.model", [1], "m.json"), /expected a y.model artifact/);
  assert.throws(
    () => unseal(seal("x.model", 2, payload), "x.model", [1], "m.json"),
    /schema version 2 is not supported/,
  );
  assert.throws(() => unseal("not json", "x.model", [1], "m.json"), /not an Inflow x.model artifact/);
});
