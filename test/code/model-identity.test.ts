import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  openRoutingModel,
  type RoutingModel,
  readPublishedRoutingModel,
  sealRoutingModel,
} from "../../src/classify/model.js";
import { FileStore } from "../../src/store/file-store.js";
import { Publication, readManifest } from "../../src/store/publish.js";
import { seal } from "../../src/store/sealed.js";
import { defaultPreprocessOptions } from "../../src/text/preprocess.js";
import { kinds } from "../../src/tickets/dataset.js";
import { topicModelAsOf } from "../../src/tickets/models.js";
import { sealTopicModel, type TopicModel, topicModelFormat } from "../../src/topics/artifact.js";
import { DEFAULT_TFIDF_OPTIONS } from "../../src/topics/tfidf.js";
import { buildRoutingModel, sealWithIdentity } from "../harness/routing-model-fixture.js";

/**
 * A model's version and time are recorded where it is published (manifest, pointer, registry), never in
 * its bytes: a rerun that computes the same model stages the same bytes and publishes nothing new.
 * Files written before (they hold both) still open, under their publication's identity.
 */

const root = await mkdtemp(join(tmpdir(), "inflow-identity-"));
after(() => rm(root, { recursive: true, force: true }));
const store = new FileStore(`file://${root}`);
const router = buildRoutingModel({ tickets: 200 });

const topicModel: TopicModel = {
  version: "2026-01-05.old-run",
  date: "2026-01-05",
  createdAt: "2026-01-05T00:07:12.345Z",
  preprocessing: defaultPreprocessOptions,
  tfidf: {
    vocabulary: ["card", "loan"],
    idf: new Float64Array([1, 1.5]),
    options: DEFAULT_TFIDF_OPTIONS,
  },
  k: 1,
  components: new Float64Array([0.5, 0.25]),
  topicIds: [0],
  assignThreshold: 0,
  reconstructionError: 0.1,
  trainingData: { sha256: "x", rows: 20 },
};

async function publishRouter(date: string, runId: string, text: string) {
  const publication = new Publication(store, kinds.classifier, date, runId);
  await publication.put("model.json", text);
  return publication.publish({ inputs: [], params: {} }, {});
}

test("the model files leave out the version and time a model carries: same content, same bytes", () => {
  const text = sealRoutingModel(router);
  const rerun: RoutingModel = { ...router, version: "other", createdAt: "2027-01-01T00:00:00.000Z" };
  assert.equal(sealRoutingModel(rerun), text);
  const payload = JSON.parse(text).payload as Record<string, unknown>;
  assert.equal("version" in payload || "createdAt" in payload, false);
  const refit: TopicModel = { ...topicModel, version: "other", createdAt: null };
  assert.equal(sealTopicModel(refit), sealTopicModel(topicModel));
  assert.equal("version" in JSON.parse(sealTopicModel(topicModel)).payload, false);
});

test("a router published twice under two run ids is one version: the first manifest, its identity", async () => {
  const date = "2026-02-02";
  const first = await publishRouter(date, "scheduled__2026-02-02T00:00:00+00:00", sealRoutingModel(router));
  const again = await publishRouter(date, "manual__2026-02-03T09:15:00+00:00", sealRoutingModel(router));
  assert.deepEqual(again, first);
  assert.deepEqual(await readManifest(store, kinds.classifier, date), first);
  const output = first.outputs[0]!;
  const opened = await readPublishedRoutingModel(store, output, "m");
  assert.equal(opened.version, `${date}.scheduled__2026-02-02T000000Z`);
  assert.equal(opened.createdAt, first.createdAt);
  assert.deepEqual(opened.classifier.weights, router.classifier.weights);
});

test("an older router file holding its version and time opens under its publication's identity", async () => {
  const date = "2026-02-09";
  const old = sealWithIdentity(router, "2026-02-09.written-inside");
  const manifest = await publishRouter(date, "old-run", old);
  const opened = await readPublishedRoutingModel(store, manifest.outputs[0]!, "m");
  assert.equal(opened.version, `${date}.old-run`, "the manifest's version, not the file's");
  assert.equal(opened.createdAt, manifest.createdAt);
  assert.deepEqual(opened.classifier.weights, router.classifier.weights);
  // Outside a store, a file's own identity is all there is; a file without one is named by its bytes.
  assert.equal(openRoutingModel(old, "old.json", null).version, "2026-02-09.written-inside");
  assert.equal(openRoutingModel(old, "old.json", null).createdAt, router.createdAt);
  const fresh = openRoutingModel(sealRoutingModel(router), "new.json", null);
  assert.match(fresh.version, /^sha256:[0-9a-f]{12}$/);
  assert.equal(fresh.createdAt, null);
  // The seal still covers what the file holds, identity included.
  assert.throws(
    () => openRoutingModel(old.replace("written-inside", "written-elsewhe"), "old.json", null),
    /checksum mismatch/,
  );
});

test("an older topic model file holding its version and time opens under its manifest's", async () => {
  const date = "2026-01-05";
  const publication = new Publication(store, kinds.topicModel, date, "relabel-run");
  await publication.put("topic-model.json", seal(topicModelFormat, 1, topicModel));
  const manifest = await publication.publish({ inputs: [], params: {} }, { k: 1 });
  const loaded = await topicModelAsOf(store, date, false);
  assert.equal(loaded?.value.version, `${date}.relabel-run`);
  assert.equal(loaded?.value.createdAt, manifest.createdAt);
  assert.deepEqual(loaded?.value.components, topicModel.components);
});
