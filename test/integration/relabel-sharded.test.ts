/**
 * Relabel past one pod's memory (docs/architecture.md, "Past one machine"): every step runs as its own
 * process under a heap limit too small for the date's tickets. Fitting on every ticket runs out of
 * memory; `relabel --sample N --no-label` fits the topics on a stratified sample and `assign` pods label
 * one shard each, as the Airflow DAG maps them. The topics are those of one fit on the sample alone,
 * every ticket gets the topic the published model gives it, and train reads the sharded partition.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArtifactStore } from "../../src/store/store.js";
import {
  completeShards,
  kinds,
  type LabelledTicket,
  readAll,
  readOutputs,
} from "../../src/tickets/dataset.js";
import { topicModelAsOf } from "../../src/tickets/models.js";
import { preprocessedSample } from "../../src/tickets/sample.js";
import { labelDocuments } from "../../src/topics/artifact.js";
import { openStore } from "../../stores/open.js";
import { createWorkspace, runCli, type Workspace } from "../harness/cli.js";
import { plantedTickets, publishPreprocessed, publishRaw } from "../harness/preprocessed-parts.js";

const date = "2026-05-04";
/** The single fit on the sample alone: its own store, the sample as the date's one partition. */
const sampleDate = "2026-05-11";
const tickets = plantedTickets(120_000);
const sampleSize = 3000;
/** Preprocessed in four parts (one per preprocess pod), labelled by four assign pods. */
const shards = 4;
/**
 * Old-space limit of every step's process: one preprocessed part fits in it (30k tickets), the date
 * does not (fitting on all 120k tickets runs out of memory even at 96 MiB).
 */
const heapMiB = 64;

describe("relabel on more tickets than a pod's memory: fit on a sample, label in shards", () => {
  let ws: Workspace;
  let store: ArtifactStore;
  let rawStore: ArtifactStore;

  before(async () => {
    ws = await createWorkspace({ NODE_OPTIONS: `--max-old-space-size=${heapMiB}` });
    store = await openStore(ws.store, process.env, { create: true });
    rawStore = await openStore(ws.rawStore, process.env, { create: true });
    await publishRaw(rawStore, tickets);
    await publishPreprocessed(store, date, tickets, shards, rawStore);
  });
  after(() => ws.dispose());

  test(`under a ${heapMiB} MiB heap, fitting on every ticket runs out of memory; on a sample it does not`, () => {
    const whole = ws.run("tickets", "relabel", "--date", date, "--k", "8", "--sample", "0");
    assert.notEqual(whole.status, 0, "the whole date does not fit: the limit is real");
    assert.match(whole.stderr, /heap out of memory/i);

    const fitted = ws.run(
      "tickets",
      "relabel",
      "--date",
      date,
      "--k",
      "8",
      "--sample",
      String(sampleSize),
      "--no-label",
    );
    assert.equal(fitted.status, 0, fitted.stderr);
    assert.deepEqual(fitted.summary.sample, { tickets: sampleSize, of: tickets.length, strata: 14 });
    assert.equal(fitted.summary.labelled, false);

    for (let shard = 0; shard < shards; shard++) {
      const assigned = ws.run(
        "tickets",
        "assign",
        "--date",
        date,
        "--shard",
        String(shard),
        "--shards",
        String(shards),
      );
      assert.equal(assigned.status, 0, assigned.stderr);
      assert.equal(assigned.summary.part, `shard-${shard}-of-${shards}`);
    }
  });

  test("the topics are the single fit on the sample", async () => {
    const sample = await preprocessedSample(store, date, sampleSize);
    await publishPreprocessed(store, sampleDate, sample.tickets, 1, rawStore);
    // A date no larger than --sample is fitted whole (the default sample size too: the panel corpora are).
    const single = ws.run(
      "tickets",
      "relabel",
      "--date",
      sampleDate,
      "--k",
      "8",
      "--sample",
      String(sampleSize),
    );
    assert.equal(single.status, 0, single.stderr);
    assert.equal(single.summary.sample, null, "a date within the sample size is fitted on every ticket");
    const sharded = (await topicModelAsOf(store, date, false))!.value;
    const alone = (await topicModelAsOf(store, sampleDate, false))!.value;
    assert.equal(sharded.date, date);
    assert.deepEqual(sharded.tfidf, alone.tfidf);
    assert.deepEqual(sharded.components, alone.components, "same topics, to the last bit");
    assert.deepEqual(sharded.topicIds, alone.topicIds);
  });

  test("every shard is labelled: each ticket once, with the topic the published model gives it", async () => {
    const parts = await completeShards(store, kinds.labelled, date);
    assert.deepEqual(
      parts.map((m) => m.part),
      Array.from({ length: shards }, (_, i) => `shard-${i}-of-${shards}`),
    );
    const labelled = await readAll(readOutputs<LabelledTicket>(store, parts, "tickets.jsonl"));
    assert.equal(labelled.length, tickets.length);
    const byId = new Map(labelled.map((t) => [t.id, t]));
    assert.equal(byId.size, tickets.length, "no ticket labelled twice");
    const model = (await topicModelAsOf(store, date, false))!.value;
    const expected = labelDocuments(
      model,
      tickets.map((t) => t.tokens),
    );
    const wrong = tickets.filter((t, i) => byId.get(t.id)?.topic !== expected.topic[i]);
    assert.equal(wrong.length, 0, `${wrong.length} tickets with another topic than the model's`);
  });

  test("train reads the sharded partition: every labelled ticket is trained on or held out", () => {
    // Training holds the week in one process (out of this test's scope): it gets Node's default heap.
    // A few iterations: what is checked is the data train reads, not the model.
    const trained = runCli(
      ["tickets", "train", "--date", date, "--max-iter", "3"],
      { ...ws.env, NODE_OPTIONS: "" },
      ws.dir,
    );
    assert.equal(trained.status, 0, trained.stderr);
    assert.equal(Number(trained.summary.trainRows) + Number(trained.summary.testRows), tickets.length);
  });
});
