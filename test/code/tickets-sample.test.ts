import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ArtifactStore } from "../../src/store/store.js";
import { preprocessedPartition } from "../../src/tickets/models.js";
import { partitionTickets, preprocessedSample, proportionalQuotas } from "../../src/tickets/sample.js";
import { openStore } from "../../stores/open.js";
import { plantedTickets, publishPreprocessed } from "../harness/preprocessed-parts.js";

describe("stratified sample of a date's preprocessed tickets", () => {
  let dir: string;
  let store: ArtifactStore;
  const tickets = plantedTickets(3001);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "inflow-sample-"));
    store = await openStore(`file://${dir}`, process.env, { create: true });
    await publishPreprocessed(store, "2026-05-04", tickets, 3);
    await publishPreprocessed(store, "2026-05-11", tickets, 5);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("quotas are proportional: floors, then the largest remainders; they sum to the size", () => {
    const quotas = proportionalQuotas(
      new Map([
        ["a", 10],
        ["b", 20],
        ["c", 70],
      ]),
      9,
    );
    assert.deepEqual(Object.fromEntries(quotas), { a: 1, b: 2, c: 6 });
    const uneven = proportionalQuotas(
      new Map([
        ["a", 1],
        ["b", 1],
        ["c", 1],
      ]),
      2,
    );
    assert.deepEqual(Object.fromEntries(uneven), { a: 1, b: 1, c: 0 }, "equal remainders go by name");
  });

  test("every raw file keeps its share, and the same tickets are drawn however the date was sharded", async () => {
    const three = await preprocessedSample(store, "2026-05-04", 500);
    const five = await preprocessedSample(store, "2026-05-11", 500);
    assert.equal(three.total, 3001);
    assert.equal(three.tickets.length, 500);
    assert.equal(three.strata, 14);
    assert.deepEqual(
      five.tickets.map((t) => t.id),
      three.tickets.map((t) => t.id),
      "same sample, same order",
    );
    const perSource = new Map<string, number>();
    for (const t of three.tickets) perSource.set(t.source, (perSource.get(t.source) ?? 0) + 1);
    for (const [source, n] of perSource) {
      const share = tickets.filter((t) => t.source === source).length / tickets.length;
      assert.ok(Math.abs(n - 500 * share) < 1, `${source}: ${n} drawn for ${500 * share}`);
    }
    const sorted = [...three.tickets].sort((a, b) =>
      a.source === b.source ? a.position - b.position : a.source < b.source ? -1 : 1,
    );
    assert.deepEqual(three.tickets, sorted, "ordered by raw file and position");
  });

  test("a sample at least as large as the date is every ticket", async () => {
    const all = await preprocessedSample(store, "2026-05-04", 10_000);
    assert.equal(all.tickets.length, 3001);
    assert.deepEqual(new Set(all.tickets.map((t) => t.id)), new Set(tickets.map((t) => t.id)));
  });

  test("the date's ticket count comes from its manifests, unknown when one does not say", async () => {
    const { manifests } = await preprocessedPartition(store, "2026-05-11");
    assert.equal(manifests.length, 5);
    assert.equal(partitionTickets(manifests), 3001);
    const unsaid = manifests.map((m, i) => (i === 2 ? { ...m, stats: {} } : m));
    assert.equal(partitionTickets(unsaid), null);
  });
});
