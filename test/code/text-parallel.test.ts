import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { startPreprocessPool } from "../../src/text/parallel.js";
import { createPreprocessor, defaultPreprocessOptions } from "../../src/text/preprocess.js";

const sample = new URL("../../data/cfpb-narratives-sample/complaints.csv.gz", import.meta.url);
const texts = (parse(gunzipSync(readFileSync(sample)), { columns: true }) as { Consumer_complaint: string }[])
  .slice(0, 120)
  .map((row) => row.Consumer_complaint);

test("worker threads give the same terms as one thread, batch by batch, in submission order", async () => {
  const options = { ...defaultPreprocessOptions, keepPos: ["NOUN", "VERB"] };
  const serial = createPreprocessor(options);
  const pool = startPreprocessPool(options, 3);
  try {
    // Uneven batches submitted together, so they finish out of order across workers.
    const batches = [texts.slice(0, 70), texts.slice(70, 75), texts.slice(75, 120), [""]];
    const results = await Promise.all(batches.map((batch) => pool.run(batch)));
    assert.deepEqual(
      results,
      batches.map((batch) => batch.map(serial)),
    );
    assert.ok(results[0]!.some((terms) => terms.includes("dispute")));
  } finally {
    await pool.close();
  }
});

test("a single worker runs in this thread with the same results", async () => {
  const pool = startPreprocessPool(defaultPreprocessOptions, 1);
  assert.deepEqual(await pool.run(texts.slice(0, 5)), texts.slice(0, 5).map(createPreprocessor()));
  await pool.close();
});

test("rejects a worker count that is not a positive integer", () => {
  assert.throws(() => startPreprocessPool(defaultPreprocessOptions, 0), /positive integer/);
  assert.throws(() => startPreprocessPool(defaultPreprocessOptions, 1.5), /positive integer/);
});
