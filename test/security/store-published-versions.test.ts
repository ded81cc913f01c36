import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { decisionsUpTo } from "../../src/novelty/store.js";
import { FileStore } from "../../src/store/file-store.js";
import { Publication, publishedObject, readManifest, readVerified } from "../../src/store/publish.js";
import { kinds } from "../../src/tickets/dataset.js";
import { InputError } from "../../src/util/errors.js";

/** Attacks on published versions at the store layer: reruns must never rewrite or prune what was published. */

const root = await mkdtemp(join(tmpdir(), "inflow-versions-"));
after(() => rm(root, { recursive: true, force: true }));
const store = new FileStore(`file://${root}`);
const lineage = { inputs: [], params: {} };

async function publishOnce(kind: string, runId: string, body: string) {
  const publication = new Publication(store, kind, "2026-02-01", runId);
  await publication.put("model.json", body);
  return publication.publish(lineage, {});
}

test("rerun under the same run id with other options writes a new version, never over the published one", async () => {
  const first = await publishOnce("same-run", "manual__2026-02-01", "good model");
  const second = await publishOnce("same-run", "manual__2026-02-01", "other model");
  assert.equal(first.version, "manual__2026-02-01");
  assert.equal(second.version, "manual__2026-02-01.2");
  assert.equal((await store.get(first.outputs[0]!.key)).toString(), "good model");
  assert.equal((await readManifest(store, "same-run", "2026-02-01"))?.version, "manual__2026-02-01.2");
});

test("rerun under another run id does not prune the version a pointer still refers to", async () => {
  const champion = await publishOnce("other-run", "scheduled__1", "champion");
  await publishOnce("other-run", "manual__2", "challenger");
  assert.equal((await store.get(champion.outputs[0]!.key)).toString(), "champion");
});

test("an identical rerun publishes nothing new and leaves no copy behind", async () => {
  const first = await publishOnce("identical", "r", "same bytes");
  const again = await publishOnce("identical", "r", "same bytes");
  assert.deepEqual(again, first);
  assert.deepEqual(await store.list("identical/"), [
    "identical/date=2026-02-01/manifest.json",
    "identical/date=2026-02-01/v=r/model.json",
    "identical/date=2026-02-01/v=r/published.json",
  ]);
});

test("a killed run's unpublished folder is reused by its retry and pruned by the next publish", async () => {
  const killed = new Publication(store, "killed", "2026-02-01", "r");
  await killed.put("model.json", "half");
  const retry = await publishOnce("killed", "r", "whole");
  assert.equal(retry.version, "r", "nothing was published under r, so the retry reuses the folder");
  const stray = new Publication(store, "killed", "2026-02-01", "other");
  await stray.put("model.json", "never published");
  await publishOnce("killed", "r", "next");
  assert.deepEqual(await store.list("killed/date=2026-02-01/v=other/"), []);
});

test("an identical rerun after a killed run removes the killed run's unpublished folder too", async () => {
  await publishOnce("killed-identical", "r", "same bytes");
  const killed = new Publication(store, "killed-identical", "2026-02-01", "killed");
  await killed.put("model.json", "half");
  const again = await publishOnce("killed-identical", "rerun", "same bytes");
  assert.equal(again.version, "r", "nothing new was published");
  assert.deepEqual(await store.list("killed-identical/date=2026-02-01/v=killed/"), []);
  assert.deepEqual(await store.list("killed-identical/date=2026-02-01/v=rerun/"), []);
});

test("bytes changed after publication are refused on read, with what to do", async () => {
  const manifest = await publishOnce("tampered", "r", "published bytes");
  const output = manifest.outputs[0]!;
  assert.deepEqual(await publishedObject(store, output.key), output);
  await writeFile(join(root, output.key), "swapped bytes");
  await assert.rejects(readVerified(store, output), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /differs from the published .*restore the original or publish a new version/);
    return true;
  });
});

test("the novelty pool's decisions are read checked too: changed bytes are refused", async () => {
  const publication = new Publication(store, kinds.topicDecisions, "2026-02-01", "r", "p1");
  await publication.put("decision.json", '{"proposal":"p1","decision":"rejected"}');
  const manifest = await publication.publish(lineage, {});
  assert.equal((await decisionsUpTo(store, "2026-02-01")).length, 1);
  await writeFile(join(root, manifest.outputs[0]!.key), '{"proposal":"p1","decision":"accepted"}');
  await assert.rejects(decisionsUpTo(store, "2026-02-01"), /differs from the published/);
});
