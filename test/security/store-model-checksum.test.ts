import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pino } from "pino";
import { ModelHolder } from "../../server/model/holder.js";
import type { LoadFailureReason } from "../../server/model/served.js";
import { createModelSource } from "../../server/model/source.js";
import { sealRoutingModel } from "../../src/classify/model.js";
import { FileStore } from "../../src/store/file-store.js";
import { Publication } from "../../src/store/publish.js";
import { championPointerKey, type PromotionRecord } from "../../src/tickets/champion.js";
import { loadRoutingModel } from "../../src/tickets/model-source.js";
import { InputError } from "../../src/util/errors.js";
import { buildRoutingModel } from "../harness/routing-model-fixture.js";

/** Model loads check the bytes against the sha256 the champion pointer or the publication records. */

const root = await mkdtemp(join(tmpdir(), "inflow-checksum-"));
after(() => rm(root, { recursive: true, force: true }));
const store = new FileStore(`file://${root}`);
const model = buildRoutingModel({ tickets: 300 });
const silent = pino({ level: "silent" });

async function publishModel(date: string, version: string) {
  const publication = new Publication(store, "tickets/classifier", date, `run-${version}`);
  // Trained on another date, so other bytes (a model's version is its manifest's, not in the file).
  const object = await publication.put("model.json", sealRoutingModel({ ...model, date }));
  await publication.publish({ inputs: [], params: {} }, {});
  return object;
}

async function pointTo(date: string, object: { key: string; sha256: string }, version: string) {
  const record: PromotionRecord = {
    date,
    promote: true,
    reason: "test",
    challenger: { version, uri: `${store.uri}/${object.key}`, key: object.key, sha256: object.sha256 },
    champion: null,
  };
  await store.put(championPointerKey, JSON.stringify(record));
}

function holder() {
  const failures: { reason: LoadFailureReason; message: string }[] = [];
  const events = {
    loaded: () => {},
    failed: (reason: LoadFailureReason, e: Error) => failures.push({ reason, message: e.message }),
  };
  return { holder: new ModelHolder(createModelSource("champion", store), events, silent), failures };
}

test("a champion pointer whose sha256 does not match a valid model is refused at start-up", async () => {
  const good = await publishModel("2026-01-01", "v1");
  const other = await publishModel("2026-01-02", "v2");
  await pointTo("2026-01-02", { key: good.key, sha256: other.sha256 }, "v2");
  const { holder: server, failures } = holder();
  assert.equal(await server.refresh(), "failed");
  assert.equal(server.current, null, "stays unready");
  assert.equal(failures[0]?.reason, "invalid");
  assert.match(failures[0]!.message, /differs from the published/);
  await assert.rejects(loadRoutingModel("champion", store), InputError);
});

test("the served model keeps serving when the pointer moves to bytes that do not match it", async () => {
  const good = await publishModel("2026-01-03", "v3");
  await pointTo("2026-01-03", good, "v3");
  const { holder: server, failures } = holder();
  assert.equal(await server.refresh(), "loaded");
  const next = await publishModel("2026-01-04", "v4");
  await pointTo("2026-01-04", { key: next.key, sha256: "0".repeat(64) }, "v4");
  assert.equal(await server.refresh(), "failed");
  assert.equal(server.current?.model.version, "2026-01-03.run-v3", "the version its manifest records");
  assert.equal(failures.length, 1);
});

test("a published model rewritten in place is refused, also when loaded by its store URI", async () => {
  const good = await publishModel("2026-01-05", "v5");
  await pointTo("2026-01-05", good, "v5");
  await writeFile(join(root, good.key), sealRoutingModel({ ...model, date: "rewritten" }));
  const { holder: server } = holder();
  assert.equal(await server.refresh(), "failed");
  await assert.rejects(loadRoutingModel(`${store.uri}/${good.key}`, store), /differs from the published/);
});
