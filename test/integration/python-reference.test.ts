/**
 * The frozen Python reference answers (test/harness/python-reference.ts): refresh writes what Python
 * says, the unit tier reads it back without Python, and a fixture that no longer matches its question
 * or Python's answer today is caught.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pythonReference } from "../harness/python-reference.js";

const script = "import json, sys; d = json.load(sys.stdin); print(json.dumps({'sum': sum(d)}))";

test("refresh, read, stale question and changed answer", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-reference-"));
  try {
    const ask = (input: string, mode: "read" | "verify" | "refresh") =>
      pythonReference<{ sum: number }>("sum", ["-c", script], input, { mode, dir });
    assert.throws(() => ask("[1, 2]", "read"), /missing: run `npm run reference:refresh`/);
    assert.deepEqual(ask("[1, 2]", "refresh"), { sum: 3 });
    assert.deepEqual(ask("[1, 2]", "read"), { sum: 3 });
    assert.deepEqual(ask("[1, 2]", "verify"), { sum: 3 });
    assert.throws(() => ask("[1, 2, 3]", "read"), /stale \(its question changed\)/);

    const path = join(dir, "sum.json");
    const fixture = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...fixture, answer: { sum: 4 } }));
    assert.deepEqual(ask("[1, 2]", "read"), { sum: 4 }, "the unit tier trusts the fixture");
    assert.throws(() => ask("[1, 2]", "verify"), /differs from Python's answer today/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
