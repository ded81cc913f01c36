import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FileStore } from "../../src/store/file-store.js";
import {
  listRawFiles,
  putRawImmutable,
  rawKey,
  retractRawFile,
  writeIngestRecord,
} from "../../src/tickets/raw.js";
import { InputError } from "../../src/util/errors.js";

/** Raw input is never modified: a raw file whose bytes changed after ingest is refused, never read as the ingested one. */

const root = await mkdtemp(join(tmpdir(), "inflow-raw-"));
after(() => rm(root, { recursive: true, force: true }));
const rawStore = new FileStore(`file://${root}/raw`);

test("a raw file edited after ingest is refused with what to do; retracted, it is left out", async () => {
  const local = join(root, "tickets.jsonl");
  await writeFile(local, '{"id":"1","text":"card blocked"}\n');
  const key = rawKey("2026-02-01", "tickets.jsonl");
  const stored = await putRawImmutable(rawStore, key, local);
  await writeIngestRecord(rawStore, {
    key,
    sha256: stored.sha256,
    reading: { format: "jsonl" },
    check: { tickets: 1, rejected: 0, rejectReasons: {} },
    runId: "r",
  });
  const { files } = await listRawFiles(rawStore, "2026-02-02", 1);
  assert.deepEqual(
    files.map((f) => f.sha256),
    [stored.sha256],
  );

  await writeFile(join(root, "raw", key), '{"id":"1","text":"card blocked, then edited"}\n');
  await assert.rejects(listRawFiles(rawStore, "2026-02-02", 1), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /changed after ingest .*restore the ingested file, or retract it/);
    return true;
  });

  await retractRawFile(rawStore, key, "edited by hand", "r2");
  assert.deepEqual((await listRawFiles(rawStore, "2026-02-02", 1)).files, []);
});
