import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { completeShards, kinds } from "../../src/tickets/dataset.js";
import { openStore } from "../../stores/open.js";

test("a step whose input partition is missing names the step that publishes it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "inflow-missing-"));
  try {
    const store = await openStore(`file://${dir}`, {}, { create: true });
    await assert.rejects(
      completeShards(store, kinds.preprocessed, "2026-11-30"),
      /no tickets\/preprocessed partition published for 2026-11-30: run `inflow tickets preprocess --date 2026-11-30` first/,
    );
    await assert.rejects(
      completeShards(store, kinds.labelled, "2026-11-30"),
      /run `inflow tickets label --date 2026-11-30` first/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
