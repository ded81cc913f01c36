/**
 * Preprocessing is a pure function of each ticket: on real corpora its output hashes the same for
 * 1, 2 and 4 worker threads (batches go to whichever worker is free, so each worker reads a
 * different, timing-dependent sequence of tickets) and from one run to the next. Corpora are cut to
 * keep the test short; the cut still holds the tickets that used to differ.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { startPreprocessPool } from "../../src/text/parallel.js";
import { defaultPreprocessOptions } from "../../src/text/preprocess.js";

/** As the preprocess task sends them. */
const batch = 256;
const options = { ...defaultPreprocessOptions, keepPos: ["NOUN", "VERB", "ADJ"] };

/** The first `rows` texts of a vendored panel corpus. */
function corpus(file: string, column: string, rows: number): string[] {
  const records = parse(gunzipSync(readFileSync(new URL(`../../data/${file}`, import.meta.url))), {
    columns: true,
    to: rows,
  }) as Record<string, string>[];
  return records.map((row) => row[column]!);
}

const corpora = {
  "IT tickets": corpus("it-service-tickets/tickets.csv.gz", "Document", 12_000),
  banking77: corpus("banking77/queries.csv.gz", "text", 13_083),
  // Where wink's remembered words used to change tokens ("chili's," then "chili's").
  clinc150: corpus("clinc150/queries.csv.gz", "text", 10_000),
};

/** Output hash per corpus, all read by one pool of `workers` threads. */
async function outputHashes(workers: number): Promise<Record<string, string>> {
  const pool = startPreprocessPool(options, workers);
  try {
    const hashes: Record<string, string> = {};
    for (const [name, texts] of Object.entries(corpora)) {
      const batches: Promise<string[][]>[] = [];
      for (let i = 0; i < texts.length; i += batch) batches.push(pool.run(texts.slice(i, i + batch)));
      const hash = createHash("sha256");
      for (const terms of await Promise.all(batches)) for (const t of terms) hash.update(`${t.join(" ")}\n`);
      hashes[name] = hash.digest("hex");
    }
    return hashes;
  } finally {
    await pool.close();
  }
}

test("the same output for 1, 2 and 4 workers and on a rerun (IT tickets, banking77, clinc150)", async () => {
  const one = await outputHashes(1);
  assert.deepEqual(await outputHashes(2), one, "2 workers");
  assert.deepEqual(await outputHashes(4), one, "4 workers");
  assert.deepEqual(await outputHashes(1), one, "1 worker again, after the others");
});
