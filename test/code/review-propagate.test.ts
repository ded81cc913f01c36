import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { effectiveLabels, type HumanLabel } from "../../src/review/human-labels.js";
import { neighbourGraph, spreadLabels } from "../../src/review/propagate.js";
import { addTopics } from "../../src/review/taxonomy-edits.js";
import {
  propagateHumanLabels,
  type TrainingTicket,
  wilsonUpper,
  withHumanLabels,
} from "../../src/review/training-labels.js";
import type { Csr } from "../../src/topics/csr.js";
import { defaultTaxonomy, type Taxonomy } from "../../src/topics/taxonomy.js";

/** Rows as {feature: value}, a CSR with `cols` columns. */
function csr(rows: Record<number, number>[], cols: number): Csr {
  const indptr = new Int32Array(rows.length + 1);
  const indices: number[] = [];
  const data: number[] = [];
  rows.forEach((row, i) => {
    for (const [j, v] of Object.entries(row).sort((a, b) => Number(a[0]) - Number(b[0]))) {
      indices.push(Number(j));
      data.push(v);
    }
    indptr[i + 1] = indices.length;
  });
  return {
    rows: rows.length,
    cols,
    indptr,
    indices: Int32Array.from(indices),
    data: Float64Array.from(data),
  };
}

/** Three clear groups (features 0–1, 2–3, 4–5) of four rows each, plus a row sharing nothing with them. */
const groups = csr(
  [
    ...[0, 2, 4].flatMap((f) => [
      { [f]: 1, [f + 1]: 1 },
      { [f]: 1 },
      { [f + 1]: 1 },
      { [f]: 0.5, [f + 1]: 1 },
    ]),
    { 6: 1 },
  ],
  7,
);
const options = { neighbours: 10, alpha: 0.5, iterations: 10, threshold: 0.8 };

describe("label spreading spreads people's labels over the neighbour graph", () => {
  test("one seed per group labels its group, an unrelated row stays unlabelled, seeds keep their class", () => {
    const seeds = new Int32Array(13).fill(-1);
    seeds[0] = 7;
    seeds[4] = 3;
    seeds[8] = 11;
    const spread = spreadLabels(groups, seeds, options);
    assert.deepEqual(Array.from(spread.labels), [7, 7, 7, 7, 3, 3, 3, 3, 11, 11, 11, 11, -1]);
    assert.equal(spread.adopted, 9);
    // Deterministic: the same seeds give the same labels.
    assert.deepEqual(spreadLabels(groups, seeds, options).labels, spread.labels);
  });

  test("a row between two classes takes neither at the threshold; only its nearest neighbours link it", () => {
    // Row 13 shares a feature with group 0 and one with group 1: half of what reaches it is each class.
    const bridged = csr([...Array.from({ length: 13 }, (_, i) => rowOf(i)), { 1: 1, 2: 1 }], 7);
    const seeds = new Int32Array(14).fill(-1);
    seeds[0] = 0;
    seeds[4] = 1;
    const spread = spreadLabels(bridged, seeds, options);
    assert.equal(spread.labels[13], -1);
    assert.deepEqual(Array.from(spread.labels.slice(0, 8)), [0, 0, 0, 0, 1, 1, 1, 1]);
    // A lower threshold lets it take the class whose seed it is more like.
    assert.notEqual(spreadLabels(bridged, seeds, { ...options, threshold: 0.3 }).labels[13], -1);
    // With one neighbour per row, row 1 ({0: 1}) links only to its nearest (row 0, the lower of ties).
    const single = new Int32Array(14).fill(-1);
    single[1] = 5;
    single[4] = 6;
    const near = spreadLabels(bridged, single, { ...options, neighbours: 1 });
    assert.equal(near.labels[0], 5);
  });

  test("zero steps, one seed class or no seed spread nothing; seeds must match the rows", () => {
    const seeds = new Int32Array(13).fill(-1);
    seeds[0] = 0;
    seeds[4] = 1;
    assert.equal(spreadLabels(groups, seeds, { ...options, iterations: 0 }).adopted, 0);
    seeds[4] = -1;
    assert.equal(spreadLabels(groups, seeds, options).adopted, 0);
    assert.equal(spreadLabels(groups, new Int32Array(13).fill(-1), options).adopted, 0);
    assert.throws(() => spreadLabels(groups, new Int32Array(3), options), RangeError);
  });

  test("train's propagation: people's rows of the train split seed, held-out rows take nothing, off returns nothing", () => {
    const tickets: TrainingTicket[] = Array.from({ length: 13 }, (_, i) => ({
      id: `t${i}`,
      tokens: [],
      topic: 0,
      confidence: 1,
      human: i === 0 || i === 4,
    })) as unknown as TrainingTicket[];
    tickets[0]!.topic = 20;
    tickets[4]!.topic = 21;
    const train = Int32Array.from([0, 1, 2, 4, 5, 6, 12]);
    const rows = (ids: Int32Array) =>
      csr(
        Array.from(ids, (i) => rowOf(i)),
        7,
      );
    const out = propagateHumanLabels(
      tickets,
      { train },
      neighbourGraph(rows(train), options.neighbours),
      options,
    );
    assert.deepEqual(
      [...out].sort((a, b) => a[0] - b[0]),
      [
        [1, 20],
        [2, 20],
        [5, 21],
        [6, 21],
      ],
    );
    assert.equal(
      propagateHumanLabels(tickets, { train }, neighbourGraph(rows(train), options.neighbours), null).size,
      0,
    );
  });
});

function rowOf(i: number): Record<number, number> {
  const r = groups.indptr;
  return Object.fromEntries(
    Array.from({ length: r[i + 1]! - r[i]! }, (_, k) => [
      groups.indices[r[i]! + k]!,
      groups.data[r[i]! + k]!,
    ]),
  );
}

describe("a named new topic", () => {
  const base: Taxonomy = {
    ...defaultTaxonomy(),
    version: 4,
    departments: ["Cards"],
    topics: [{ id: 0, name: "Card fees", department: "Cards", origin: "catalog", topTerms: ["fee"] }],
  };

  test("several named in one batch make one version", () => {
    const next = addTopics(base, [
      { topic: 5, name: "Lost card" },
      { topic: 6, name: "Card delivery" },
    ]);
    assert.equal(next.version, 5);
    assert.deepEqual(
      next.topics.map((t) => [t.id, t.name]),
      [
        [0, "Card fees"],
        [5, "Lost card"],
        [6, "Card delivery"],
      ],
    );
  });

  test("is added as the next version with the given id, unrouted, named by a person; others unchanged", () => {
    const next = addTopics(base, [{ topic: 5, name: "  Lost card " }]);
    assert.equal(next.version, 5);
    assert.deepEqual(next.topics[0], base.topics[0]);
    assert.deepEqual(next.topics[1], {
      id: 5,
      name: "Lost card",
      department: "Unrouted",
      origin: "person",
      topTerms: [],
    });
    assert.deepEqual(next.departments, ["Cards", "Unrouted"]);
    assert.equal(base.topics.length, 1, "the input taxonomy is not modified");
  });

  test("never reuses an id and needs a name", () => {
    assert.throws(() => addTopics(base, [{ topic: 0, name: "Other" }]), /already exists/);
    assert.throws(
      () =>
        addTopics(base, [
          { topic: 6, name: "A" },
          { topic: 6, name: "B" },
        ]),
      /already exists/,
    );
    assert.throws(() => addTopics(base, [{ topic: 6, name: "   " }]), /1 to 120 characters/);
    assert.throws(() => addTopics(base, [{ topic: 6, name: "x".repeat(121) }]), /1 to 120 characters/);
  });
});

describe("people outvote a topic", () => {
  const taxonomy: Taxonomy = {
    ...defaultTaxonomy(),
    topics: [0, 1].map((id) => ({
      id,
      name: `t${id}`,
      department: "Unrouted",
      origin: "top-terms",
      topTerms: [],
    })),
  };
  const at = (i: number) => `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`;
  const label = (ticketId: string, topic: number, i: number): HumanLabel => ({
    ticketId,
    answer: { kind: "topic", topic },
    reviewer: "r",
    at: at(i),
    source: "console",
  });
  // Twelve tickets of topic 0 and sixteen of topic 1.
  const tickets = Array.from({ length: 28 }, (_, i) => ({
    id: `k${i}`,
    tokens: [],
    topic: i < 12 ? 0 : 1,
    confidence: 0.9,
  }));
  const relabelled = [
    ...Array.from({ length: 8 }, (_, i) => label(`k${i}`, 5, i)),
    label("k12", 5, 20),
    label("k13", 5, 21),
  ];

  test("a topic people relabel (0 of 8 confirmed) is outvoted: its other tickets are not trusted", () => {
    // Ten of topic 1's tickets confirmed: people use the topic model's topics, so it stands as a whole.
    const confirmed = Array.from({ length: 10 }, (_, i) => label(`k${14 + i}`, 1, 30 + i));
    const labels = effectiveLabels([...relabelled, ...confirmed]);
    const { tickets: out, outvotedTopics, peopleClasses } = withHumanLabels(tickets, labels, taxonomy);
    assert.equal(peopleClasses, false);
    assert.deepEqual(outvotedTopics, [0]);
    assert.deepEqual(
      out.filter((t) => t.outvoted).map((t) => t.id),
      ["k8", "k9", "k10", "k11"],
    );
    // Two of twelve relabelled: topic 1 keeps its labels.
    assert.ok(out.filter((t) => t.topic === 1).every((t) => !t.outvoted));
  });

  test("when people's labels as a whole outvote the topic model, people's classes replace its topics", () => {
    // Ten labels, none the ticket's topic: people name their own classes (0 of 10 is below 1/2 at 95%).
    const { tickets: out, peopleClasses } = withHumanLabels(tickets, effectiveLabels(relabelled), taxonomy);
    assert.equal(peopleClasses, true);
    assert.deepEqual(
      out.filter((t) => !t.outvoted).map((t) => t.id),
      relabelled.map((l) => l.ticketId),
    );
    // Three of three relabelled is not yet evidence.
    const few = effectiveLabels(relabelled.slice(0, 3));
    assert.equal(withHumanLabels(tickets, few, taxonomy).peopleClasses, false);
  });

  test("a topic people mostly confirm keeps its labels", () => {
    const labels = effectiveLabels(Array.from({ length: 8 }, (_, i) => label(`k${i}`, i < 5 ? 0 : 5, i)));
    const { outvotedTopics, peopleClasses } = withHumanLabels(tickets, labels, taxonomy);
    assert.deepEqual(outvotedTopics, []);
    assert.equal(peopleClasses, false);
  });

  test("Wilson upper bound: 0 of 3 is not below 1/2, 0 of 8 is, 2 of 20 is; no votes is 1", () => {
    assert.ok(wilsonUpper(0, 3) > 0.5);
    assert.ok(wilsonUpper(0, 8) < 0.5);
    assert.ok(Math.abs(wilsonUpper(2, 20) - 0.301) < 0.001);
    assert.equal(wilsonUpper(0, 0), 1);
  });
});
