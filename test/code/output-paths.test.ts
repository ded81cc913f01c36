import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../src/util/errors.js";
import { requireFolderOf } from "../../src/util/folders.js";
import { JsonlWriter } from "../../src/util/jsonl.js";

/*
 * `tickets predict --output` into a folder that does not exist crashed with an unhandled stream error
 * (a stack trace, exit 1, no summary); `taxonomy --export` there exited 1 as if a retry could help.
 */

test("an output file's missing folder is bad input naming the flag and the folder; an existing one passes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-output-"));
  try {
    await requireFolderOf(join(dir, "predictions.jsonl"), "--output");
    await assert.rejects(
      requireFolderOf(join(dir, "missing", "predictions.jsonl"), "--output"),
      (error) =>
        error instanceof InputError &&
        /^--output .*predictions\.jsonl: the folder .*missing does not exist/.test(error.message),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a JSON-lines file that cannot be opened fails its writes and close, never as an unhandled error event", async () => {
  const writer = new JsonlWriter(join(tmpdir(), "inflow-no-such-folder", "x", "rows.jsonl"));
  // The open fails while nothing waits on the stream, as when predict reads its input meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await assert.rejects(writer.write({ a: 1 }), /ENOENT/);
  await assert.rejects(writer.close(), /ENOENT/);
});
