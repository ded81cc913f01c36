import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { effectiveLabels, type HumanLabel } from "../../src/review/human-labels.js";
import {
  importLabelStudio,
  labelingConfig,
  labelStudioTasks,
  queueCsv,
} from "../../src/review/label-studio.js";
import { selectForReview } from "../../src/review/queue.js";
import { applyEdit, diffTaxonomies } from "../../src/review/taxonomy-edits.js";
import { withHumanLabels } from "../../src/review/training-labels.js";
import type { Csr } from "../../src/topics/csr.js";
import {
  defaultTaxonomy,
  effectiveTopic,
  parseTaxonomy,
  serializeTaxonomy,
  type Taxonomy,
} from "../../src/topics/taxonomy.js";

function taxonomy(): Taxonomy {
  return {
    ...defaultTaxonomy(),
    version: 3,
    departments: ["General", "Unrouted"],
    topics: [0, 1, 2].map((id) => ({
      id,
      name: `topic ${id}`,
      department: "General",
      origin: "top-terms" as const,
      topTerms: [`term${id}`],
    })),
  };
}

describe("taxonomy edits", () => {
  test("rename and route publish the next version, named by a person; a new department is added", () => {
    const renamed = applyEdit(taxonomy(), { action: "rename", topic: 1, name: "  Card fees " });
    assert.equal(renamed.version, 4);
    assert.deepEqual(renamed.topics[1], { ...taxonomy().topics[1], name: "Card fees", origin: "person" });
    const routed = applyEdit(renamed, { action: "route", topic: 1, department: "Billing" });
    assert.equal(routed.topics[1]!.department, "Billing");
    assert.ok(routed.departments.includes("Billing"));
    assert.throws(() => applyEdit(taxonomy(), { action: "rename", topic: 1, name: " " }), /1 to 120/);
    assert.throws(() => applyEdit(taxonomy(), { action: "rename", topic: 9, name: "x" }), /not in taxonomy/);
  });

  test("merge takes the target's name and department, never leaves a chain, and survives a YAML round trip", () => {
    const once = applyEdit(taxonomy(), { action: "merge", topic: 0, into: 1 });
    const twice = applyEdit(once, { action: "merge", topic: 1, into: 2 });
    assert.equal(twice.topics[0]!.mergedInto, 2, "topics merged into 1 follow it to 2");
    assert.equal(twice.topics[1]!.mergedInto, 2);
    assert.equal(effectiveTopic(twice, 0), 2);
    assert.throws(() => applyEdit(once, { action: "merge", topic: 2, into: 0 }), /merge into that one/);
    assert.throws(() => applyEdit(once, { action: "merge", topic: 2, into: 2 }), /cannot merge/);
    assert.deepEqual(parseTaxonomy(serializeTaxonomy(twice), "test"), twice);
  });

  test("a taxonomy whose merge points nowhere is refused", () => {
    const broken = { ...taxonomy(), topics: [{ ...taxonomy().topics[0]!, mergedInto: 7 }] };
    assert.throws(() => parseTaxonomy(serializeTaxonomy(broken), "test"), /not an unmerged topic/);
  });

  test("noise topics route nowhere; the diff lists each changed field", () => {
    const noisy = applyEdit(taxonomy(), { action: "noise", topic: 2, noise: true });
    assert.equal(effectiveTopic(noisy, 2), null);
    assert.equal(noisy.topics[2]!.department, "Unrouted");
    assert.deepEqual(diffTaxonomies(taxonomy(), noisy), [
      { id: 2, field: "department", before: "General", after: "Unrouted" },
      { id: 2, field: "noise", before: "", after: "true" },
    ]);
    assert.deepEqual(diffTaxonomies(null, taxonomy())[0], {
      id: 0,
      field: "added",
      before: "",
      after: "topic 0",
    });
  });
});

describe("human labels", () => {
  const label = (ticketId: string, answer: HumanLabel["answer"], at: string): HumanLabel => ({
    ticketId,
    answer,
    reviewer: "ada",
    at,
    source: "console",
  });

  test("the newest answer per ticket stands; a retraction removes it", () => {
    const current = effectiveLabels([
      label("a", { kind: "topic", topic: 1 }, "1"),
      label("b", { kind: "topic", topic: 2 }, "2"),
      label("a", { kind: "topic", topic: 0 }, "3"),
      label("b", { kind: "retract" }, "4"),
    ]);
    assert.deepEqual([...current.keys()], ["a"]);
    assert.deepEqual(current.get("a")!.answer, { kind: "topic", topic: 0 });
  });

  test("for training, human topics override, unassigned tickets a person labelled join, merged and noise map", () => {
    const merged = applyEdit(applyEdit(taxonomy(), { action: "merge", topic: 0, into: 1 }), {
      action: "noise",
      topic: 2,
      noise: true,
    });
    const tickets = [
      { id: "a", tokens: [], topic: 0, confidence: 0.9 },
      { id: "b", tokens: [], topic: -1, confidence: 0.1 },
      { id: "c", tokens: [], topic: 2, confidence: 0.8 },
      { id: "d", tokens: [], topic: -1, confidence: 0.2 },
      { id: "e", tokens: [], topic: 1, confidence: 0.7 },
    ];
    const labels = effectiveLabels([
      label("b", { kind: "topic", topic: 0 }, "1"),
      label("e", { kind: "new-topic" }, "2"),
    ]);
    const { tickets: out, overridden } = withHumanLabels(tickets, labels, merged);
    assert.deepEqual(
      out.map((t) => [t.id, t.topic, t.human]),
      [
        ["a", 1, false],
        ["b", 1, true],
        ["e", 1, false],
      ],
    );
    assert.equal(overridden, 1);
  });
});

/** Dense rows as a CSR matrix, each row L2-normalised like a TF-IDF row. */
function tfidfRows(rows: number[][]): Csr {
  const dense = rows.map((row) => row.map((v) => v / Math.hypot(...row)));
  return {
    rows: dense.length,
    cols: dense[0]!.length,
    indptr: Int32Array.from({ length: dense.length + 1 }, (_, i) =>
      dense.slice(0, i).reduce((n, row) => n + row.filter((v) => v > 0).length, 0),
    ),
    indices: Int32Array.from(dense.flatMap((row) => row.flatMap((v, j) => (v > 0 ? [j] : [])))),
    data: Float64Array.from(dense.flat().filter((v) => v > 0)),
  };
}

describe("review queue", () => {
  // Two groups of three tickets over four terms: rows 1 and 4 are each group's typical ticket (its
  // term alone); the others lean to a second term. Rows are L2-normalised like TF-IDF rows.
  const x = tfidfRows([
    [0.95, 0, 0.31, 0],
    [1, 0, 0, 0],
    [0.95, 0, 0, 0.31],
    [0, 0.95, 0.31, 0],
    [0, 1, 0, 0],
    [0, 0.95, 0, 0.31],
  ]);
  // Two classes; row 2 is the least certain ticket, then row 5.
  const p = Float64Array.from([0.9, 0.1, 0.95, 0.05, 0.55, 0.45, 0.1, 0.9, 0.05, 0.95, 0.4, 0.6]);

  test("cold start: the typical ticket of each group, none twice from one group", () => {
    const rows = (options: { exclude?: Set<number> }) =>
      selectForReview(p, 2, x, { size: 2, uncertainty: false, ...options })
        .map((q) => q.row)
        .sort();
    assert.deepEqual(rows({}), [1, 4]);
    // Without row 1, group one's two remaining tickets are alike: the earlier row wins the tie.
    assert.deepEqual(rows({ exclude: new Set([1]) }), [0, 4]);
  });

  test("with people's labels: groups of the least certain tickets, the heavier group first", () => {
    // Pool: the four smallest margins (rows 2, 5, 0, 3); weights 1 − margin pull each centre to rows 2 and 5.
    const queue = selectForReview(p, 2, x, { size: 2, uncertainty: true, poolFactor: 2 });
    assert.deepEqual(
      queue.map((q) => q.row),
      [2, 5],
    );
    assert.ok(Math.abs(queue[0]!.margin - 0.1) < 1e-12);
    assert.equal(queue[1]!.predicted, 1);
    assert.deepEqual(
      selectForReview(p, 2, x, { size: 2, uncertainty: true, exclude: new Set([0, 1, 2, 3, 4, 5]) }),
      [],
    );
  });
});

describe("review queue's pool with people's labels", () => {
  // Row 0 is an outlier (a term of its own) and the least sure; rows 1–3 are one group, unsure too;
  // rows 4 and 5 the router is sure of.
  const x = tfidfRows([
    [0, 0, 1],
    [1, 0, 0],
    [0.95, 0.31, 0],
    [0.95, 0, 0.31],
    [0, 1, 0],
    [0, 1, 0],
  ]);
  const margins = [0, 0.1, 0.15, 0.5, 0.9, 0.9];
  const p = Float64Array.from(margins.flatMap((m) => [(1 + m) / 2, (1 - m) / 2]));
  const ask = (options: { poolShare?: number }) =>
    selectForReview(p, 2, x, { size: 1, uncertainty: true, poolFactor: 1, ...options }).map((q) => q.row);

  test("is the least-sure half of the unlabelled tickets: a typical unsure ticket, not the lone outlier", () => {
    // Half of 6 = rows 0, 1, 2: the weighted centre sits in the group of rows 1–3, nearest row 1.
    assert.deepEqual(ask({}), [1]);
    // The fixed pool of size × poolFactor = 1 ticket is the outlier alone.
    assert.deepEqual(ask({ poolShare: 0 }), [0]);
  });
});

describe("Label Studio interop", () => {
  const fixture = () =>
    readFileSync(join(import.meta.dirname, "../fixtures/label-studio/export.json"), "utf8")
      .replaceAll("TICKET_", "t-")
      .replaceAll("TOPIC_OLD", "1")
      .replaceAll("TOPIC_NEW", "2");

  test("a Label Studio JSON export comes back as the newest uncancelled choice per task", () => {
    const { labels, skipped } = importLabelStudio(JSON.parse(fixture()));
    assert.deepEqual(labels, [
      {
        ticketId: "t-A",
        answer: { kind: "topic", topic: 2 },
        reviewer: "labelstudio:grace@example.org",
        at: "2026-05-12T09:16:08.728Z",
      },
      {
        ticketId: "t-B",
        answer: { kind: "new-topic" },
        reviewer: "labelstudio:user 10",
        at: "2026-05-12T10:00:00.000Z",
      },
    ]);
    assert.deepEqual(skipped, ["task 3: no data.ticket_id"]);
    assert.throws(() => importLabelStudio({ tasks: [] }), /array of tasks/);
  });

  test("tasks carry the ticket id and the router's guess; the config and CSV escape what they must", () => {
    const names = new Map([[3, 'Fees & "charges"']]);
    const tasks = labelStudioTasks(
      [{ id: "x1", text: 'line one,\nline "two"', predicted: 3, margin: 0.1 }],
      names,
      "v1",
    );
    assert.deepEqual(tasks[0]!.data, { text: 'line one,\nline "two"', ticket_id: "x1" });
    assert.deepEqual(tasks[0]!.predictions[0]!.result[0]!.value.choices, ['3 · Fees & "charges"']);
    // What Label Studio exports for that prediction, accepted, imports as topic 3.
    const exported = [{ data: tasks[0]!.data, annotations: [{ result: tasks[0]!.predictions[0]!.result }] }];
    assert.deepEqual(importLabelStudio(exported).labels[0]!.answer, { kind: "topic", topic: 3 });
    assert.match(
      labelingConfig([{ id: 3, name: 'Fees & "charges"' }]),
      /<Choice value="3 · Fees &amp; &quot;charges&quot;"\/>/,
    );
    assert.equal(
      queueCsv([{ id: "x1", text: 'line one,\nline "two"', predicted: 3, margin: 0.1 }], names),
      'ticket_id,text,predicted_topic,predicted_name,margin\r\nx1,"line one,\nline ""two""",3,"Fees & ""charges""",0.1000\r\n',
    );
  });
});
