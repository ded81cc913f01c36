import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { departments } from "../../src/tickets/generator/generate.js";
import { createWorkspace, type Workspace } from "../harness/cli.js";

/**
 * A department the topic model never saw arrives (the generator holds "Mortgages/loans" back in the
 * first week): label proposes it, the proposal persists, a person accepts it, and the date is
 * relabelled with one more topic while every existing id and name stays.
 */
const [d1, d2, d3] = ["2026-03-09", "2026-03-16", "2026-03-23"];
const heldBack = "Mortgages/loans";
const others = departments.filter((d) => d !== heldBack).join(",");

interface Proposal {
  id: string;
  size: number;
  runs: number;
  name: string;
}

describe("novel tickets through the CLI: proposed, persisted, accepted, relabelled", () => {
  let ws: Workspace;
  const week = (date: string, seed: string, departments?: string) => {
    const args = ["tickets", "generate", "--date", date, "--count", "1200", "--seed", seed];
    const generated = ws.run(
      ...args,
      ...(departments ? ["--departments", departments] : []),
      "--truth-out",
      join(ws.dir, `truth-${date}.jsonl`),
    );
    assert.equal(generated.status, 0, generated.stderr);
    const pre = ws.run("tickets", "preprocess", "--date", date);
    assert.equal(pre.status, 0, pre.stderr);
  };
  const taxonomyAt = async (date: string) => {
    const manifest = JSON.parse(
      await readFile(join(ws.dir, "clean/tickets/taxonomy", `date=${date}`, "manifest.json"), "utf8"),
    ) as { outputs: { key: string }[] };
    return parse(await readFile(join(ws.dir, "clean", manifest.outputs[0]!.key), "utf8")) as {
      topics: { id: number; name: string; department: string }[];
    };
  };

  before(async () => {
    ws = await createWorkspace();
    week(d1, "3", others);
    const relabel = ws.run("tickets", "relabel", "--date", d1, "--k", "4");
    assert.equal(relabel.status, 0, relabel.stderr);
  });
  after(() => ws.dispose());

  let proposal: Proposal;

  test("the held-back department's first week: novel tickets pooled, one proposal published with the run", async () => {
    week(d2, "4");
    const label = ws.run("tickets", "label", "--date", d2);
    assert.equal(label.status, 0, label.stderr);
    assert.ok(Number(label.summary.noveltyShare) > Number(label.summary.baselineNoveltyShare));
    const proposals = label.summary.proposals as Proposal[];
    assert.ok(proposals.length >= 1, JSON.stringify(label.summary));
    proposal = proposals.sort((a, b) => b.size - a.size)[0]!;
    assert.equal(proposal.runs, 1);
    const report = JSON.parse(
      await readFile(join(ws.dir, "clean/tickets/labelled", `date=${d2}`, "manifest.json"), "utf8"),
    ) as { outputs: { key: string }[] };
    const topicsJson = report.outputs.find((o) => o.key.endsWith("/topics.json"))!;
    const shown = JSON.parse(await readFile(join(ws.dir, "clean", topicsJson.key), "utf8")) as {
      proposals: (Proposal & { terms: unknown[]; representatives: string[]; sizeByDate: object })[];
    };
    const inReport = shown.proposals.find((p) => p.id === proposal.id)!;
    assert.ok(inReport.terms.length > 0 && inReport.representatives.length > 0);
    assert.deepEqual(Object.keys(inReport.sizeByDate), [d2]);
  });

  test("the next week the proposal keeps its id and counts a second run; a rerun reproduces it", () => {
    week(d3, "5");
    const label = ws.run("tickets", "label", "--date", d3);
    assert.equal(label.status, 0, label.stderr);
    const again = (label.summary.proposals as Proposal[]).find((p) => p.id === proposal.id);
    assert.ok(again, JSON.stringify(label.summary.proposals));
    assert.equal(again.runs, 2);
    const rerun = ws.run("tickets", "label", "--date", d3);
    assert.deepEqual(rerun.summary.proposals, label.summary.proposals);
    const listed = ws.run("tickets", "topics", "list", "--date", d3);
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok((listed.summary.proposals as Proposal[]).some((p) => p.id === proposal.id));
  });

  test("accepting adds a topic with a new id, keeps every other id and name, and relabels the date", async () => {
    const before = await taxonomyAt(d1);
    const accepted = ws.run(
      "tickets",
      "topics",
      "accept",
      proposal.id,
      "--date",
      d3,
      "--reason",
      "mortgage servicing is new",
    );
    assert.equal(accepted.status, 0, accepted.stderr);
    const [adopted] = accepted.summary.adopted as { proposal: string; topicId: number }[];
    assert.deepEqual(adopted!.proposal, proposal.id);
    assert.equal(adopted!.topicId, 4);
    const after = await taxonomyAt(d3);
    assert.deepEqual(after.topics.slice(0, before.topics.length), before.topics);
    const relabelled = accepted.summary.topics as { id: number; size: number }[];
    assert.ok(relabelled.find((t) => t.id === 4)!.size > 0, JSON.stringify(relabelled));
    assert.ok(!(accepted.summary.proposals as Proposal[]).some((p) => p.id === proposal.id));
  });

  test("decisions on decided or unknown proposals, and policy adoption while it is off, are refused (exit 2)", () => {
    const twice = ws.run("tickets", "topics", "reject", proposal.id, "--date", d3, "--reason", "x");
    assert.equal(twice.status, 2);
    assert.match(String(twice.summary.error), /already accepted/);
    const unknown = ws.run("tickets", "topics", "accept", "new-999", "--date", d3, "--reason", "x");
    assert.equal(unknown.status, 2);
    assert.match(String(unknown.summary.error), /no proposal new-999/);
    const policyOff = ws.run("tickets", "topics", "adopt", "--date", d3);
    assert.equal(policyOff.status, 2);
  });
});
