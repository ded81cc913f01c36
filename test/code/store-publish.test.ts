import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FileStore } from "../../src/store/file-store.js";
import {
  findOutput,
  latestPublishedDate,
  outputInputs,
  Publication,
  publishedDates,
  readManifest,
  readPartManifests,
  requireOutput,
  versionName,
} from "../../src/store/publish.js";
import { NotFoundError } from "../../src/store/store.js";

const root = await mkdtemp(join(tmpdir(), "inflow-store-"));
after(() => rm(root, { recursive: true, force: true }));
const store = new FileStore(`file://${root}`);

test("put/get/head/list round-trip with sha256, and keys cannot escape the root", async () => {
  const object = await store.put("a/b/c.txt", "hello");
  assert.equal(object.sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  assert.deepEqual(await store.head("a/b/c.txt"), object);
  assert.equal((await store.get("a/b/c.txt")).toString(), "hello");
  assert.deepEqual(await store.list("a/"), ["a/b/c.txt"]);
  await assert.rejects(store.get("a/missing"), NotFoundError);
  await assert.rejects(store.put("../escape", "x"), /invalid store key/);
  await assert.rejects(store.put("/abs", "x"), /invalid store key/);
});

test("a partition is invisible until its manifest is written; a rerun publishes a new version next to the old", async () => {
  const first = new Publication(store, "kind", "2026-01-05", "run-1");
  await first.put("data.jsonl", "1\n");
  assert.equal(await readManifest(store, "kind", "2026-01-05"), null, "staged outputs are not published");
  const published = await first.publish({ inputs: [], params: {} }, { rows: 1 });
  const rerun = new Publication(store, "kind", "2026-01-05", "run-2");
  await rerun.put("data.jsonl", "2\n");
  const manifest = await rerun.publish({ inputs: [], params: {} }, { rows: 1 });
  assert.equal((await readManifest(store, "kind", "2026-01-05"))?.runId, "run-2");
  assert.equal((await store.get(manifest.outputs[0]!.key)).toString(), "2\n");
  assert.equal((await store.get(published.outputs[0]!.key)).toString(), "1\n", "the earlier version stays");
  const versions = await readdir(join(root, "kind", "date=2026-01-05"));
  assert.deepEqual(versions.sort(), ["manifest.json", "v=run-1", "v=run-2"]);
});

test("Airflow run ids become short readable versions; other ids keep their safe characters", () => {
  assert.equal(versionName("manual__2026-12-06T11:45:09.845282+00:00"), "manual__2026-12-06T114509Z");
  assert.equal(versionName("scheduled__2026-03-09T02:00:00+00:00"), "scheduled__2026-03-09T020000Z");
  assert.equal(versionName("backfill__2026-03-16T02:00:00Z"), "backfill__2026-03-16T020000Z");
  assert.equal(versionName("manual__2026-02-01"), "manual__2026-02-01");
  assert.equal(versionName("run/../1+x"), "run_.._1_x");
});

test("two Airflow runs in the same second publish distinct versions", async () => {
  const versions = [];
  for (const runId of ["manual__2026-12-06T11:45:09.1+00:00", "manual__2026-12-06T11:45:09.2+00:00"]) {
    const p = new Publication(store, "same-second", "2026-12-06", runId);
    await p.put("x.jsonl", runId);
    versions.push((await p.publish({ inputs: [], params: {} }, {})).version);
  }
  assert.deepEqual(versions, ["manual__2026-12-06T114509Z", "manual__2026-12-06T114509Z.2"]);
});

test("parts publish independently; as-of lookups never see later dates", async () => {
  for (const part of ["shard-0-of-2", "shard-1-of-2"]) {
    const p = new Publication(store, "sharded", "2026-01-10", "r", part);
    await p.put("x.jsonl", part);
    await p.publish({ inputs: [], params: {} }, {});
  }
  assert.deepEqual(
    (await readPartManifests(store, "sharded", "2026-01-10")).map((m) => m.part),
    ["shard-0-of-2", "shard-1-of-2"],
  );
  for (const date of ["2026-01-01", "2026-01-08", "2026-01-15"]) {
    const p = new Publication(store, "model", date, "r");
    await p.publish({ inputs: [], params: {} }, {});
  }
  assert.deepEqual(await publishedDates(store, "model"), ["2026-01-01", "2026-01-08", "2026-01-15"]);
  assert.equal(await latestPublishedDate(store, "model", "2026-01-08", false), "2026-01-08");
  assert.equal(await latestPublishedDate(store, "model", "2026-01-08", true), "2026-01-01");
  assert.equal(await latestPublishedDate(store, "model", "2025-12-31", false), null);
});

test("a manifest's outputs are found by file name: the exact name, never a longer one ending the same way", async () => {
  const publication = new Publication(store, "outputs", "2026-01-07", "run-1");
  await publication.put("model.json", "{}");
  await publication.put("old-model.json", "{}");
  const manifest = await publication.publish({ inputs: [], params: {} }, {});
  assert.match(requireOutput(manifest, "model.json").key, /\/model\.json$/);
  assert.equal(findOutput(manifest, "test-ids.json"), null);
  assert.equal(findOutput(null, "model.json"), null);
  assert.throws(() => requireOutput(manifest, "test-ids.json"), /outputs 2026-01-07 has no test-ids\.json/);
  const [input] = outputInputs(store.uri, [manifest], "old-model.json");
  assert.equal(input?.uri, `${store.uri}/${findOutput(manifest, "old-model.json")?.key}`);
});
