import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  defaultClassShares,
  departments,
  type GenerateOptions,
  garbageKinds,
  generateTickets,
  generatorWords,
  writeJsonl,
} from "../../src/tickets/generator/generate.js";

const base: GenerateOptions = {
  count: 5000,
  seed: 42,
  garbageRate: 0.005,
  startDate: "2019-01-01",
  endDate: "2021-05-14",
};
const corpus = [...generateTickets(base)];
const narratives = corpus.filter((row) => !row.truth.garbage).map((row) => row.ticket.text as string);

async function sha256OfJsonl(options: GenerateOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-generate-"));
  try {
    const path = join(dir, "rows.jsonl");
    await writeJsonl(path, generateTickets(options));
    return createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("the same seed and count give byte-identical output; another seed does not", async () => {
  const options = { ...base, count: 1500 };
  const first = await sha256OfJsonl(options);
  assert.equal(await sha256OfJsonl(options), first);
  assert.notEqual(await sha256OfJsonl({ ...options, seed: 43 }), first);
});

test("a slice generated on its own equals the same rows of the whole corpus", () => {
  const slice = [...generateTickets({ ...base, count: 200, firstIndex: 1000 })];
  assert.deepEqual(slice, corpus.slice(1000, 1200));
  assert.equal(new Set(corpus.map((row) => row.ticket.id)).size, corpus.length);
});

test("department shares are within tolerance of the configured ones", () => {
  for (const department of departments) {
    const share = corpus.filter((row) => row.truth.department === department).length / corpus.length;
    // 0.025 is about four standard deviations of a share near 0.3 on 5,000 draws.
    assert.ok(Math.abs(share - defaultClassShares[department]) < 0.025, `${department}: ${share}`);
  }
  const custom = [
    ...generateTickets({ ...base, count: 2000, classShares: { Others: 3, "Mortgages/loans": 1 } }),
  ];
  const others = custom.filter((row) => row.truth.department === "Others").length / custom.length;
  assert.ok(Math.abs(others - 0.75) < 0.04, `Others share ${others}`);
  assert.ok(
    custom.every((row) => row.truth.department === "Others" || row.truth.department === "Mortgages/loans"),
  );
});

test("every department has several sub-topics", () => {
  for (const department of departments) {
    const subtopics = new Set(
      corpus
        .filter((row) => row.truth.department === department && !row.truth.garbage)
        .map((r) => r.truth.subtopic),
    );
    assert.ok(subtopics.size >= 4, `${department}: ${[...subtopics].join(", ")}`);
  }
});

test("narratives are 20-400 words, skewed, mostly 60-200", () => {
  const lengths = narratives.map((text) => text.split(/\s+/).filter((word) => word.length > 0).length);
  lengths.sort((a, b) => a - b);
  assert.ok(lengths[0]! >= 20, `shortest ${lengths[0]}`);
  assert.ok(lengths.at(-1)! <= 400, `longest ${lengths.at(-1)}`);
  const median = lengths[lengths.length >> 1]!;
  assert.ok(median >= 90 && median <= 160, `median ${median}`);
  const mean = lengths.reduce((sum, n) => sum + n, 0) / lengths.length;
  assert.ok(mean > median, "right-skewed: mean above median");
  const typical = lengths.filter((n) => n >= 60 && n <= 200).length / lengths.length;
  assert.ok(typical >= 0.6, `share 60-200: ${typical}`);
  assert.ok(lengths.filter((n) => n > 300).length > 0, "some long narratives");
});

test("CFPB redactions appear at realistic rates", () => {
  const share = (pattern: RegExp) =>
    narratives.filter((text) => pattern.test(text)).length / narratives.length;
  const anyRedaction = share(/XXXX/);
  assert.ok(anyRedaction > 0.4 && anyRedaction < 0.95, `XXXX in ${anyRedaction}`);
  const fullDate = share(/XX\/XX\/XXXX/);
  const keptYear = share(/XX\/XX\/20\d\d/);
  assert.ok(fullDate > 0.1 && keptYear > 0.05, `XX/XX/XXXX ${fullDate}, XX/XX/20xx ${keptYear}`);
  assert.ok(share(/\{\$\d+\.\d\d\}/) > 0.05 && share(/\$\d{1,3},\d{3}\.\d\d/) > 0.01, "both amount styles");
});

test("typos: none at typoRate 0, a few per hundred words by default", () => {
  const known = generatorWords();
  const unknownWords = (text: string) =>
    (text.toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => !known.has(w));
  const clean = [...generateTickets({ ...base, count: 800, typoRate: 0 })];
  for (const { ticket, truth } of clean) {
    if (!truth.garbage)
      assert.deepEqual(unknownWords(ticket.text as string), [], "typo-free text uses known words");
  }
  const withTypos = narratives.filter((text) => unknownWords(text).length > 0).length / narratives.length;
  assert.ok(withTypos > 0.2 && withTypos < 0.9, `narratives with a typo: ${withTypos}`);
  const words = narratives.reduce((sum, text) => sum + (text.match(/[a-z]+/gi) ?? []).length, 0);
  const typoWords = narratives.reduce((sum, text) => sum + unknownWords(text).length, 0);
  assert.ok(typoWords / words < 0.02, `typo rate per word ${typoWords / words}`);
});

test("mixed case: a few narratives shout, a few never capitalise", () => {
  const shouting = narratives.filter((text) => text === text.toUpperCase()).length / narratives.length;
  const lower = narratives.filter((text) => !/[A-WYZ]/.test(text)).length / narratives.length;
  assert.ok(shouting > 0.01 && shouting < 0.08, `all caps ${shouting}`);
  assert.ok(lower > 0.005 && lower < 0.06, `all lowercase ${lower}`);
});

test("garbage rows: rate within tolerance, every kind present, truth says so", () => {
  const garbageShare = corpus.filter((row) => row.truth.garbage).length / corpus.length;
  assert.ok(garbageShare > 0.001 && garbageShare < 0.01, `garbage share ${garbageShare}`);
  const noisy = [...generateTickets({ ...base, count: 4000, garbageRate: 0.1 })];
  const garbage = noisy.filter((row) => row.truth.garbage);
  assert.ok(
    Math.abs(garbage.length / noisy.length - 0.1) < 0.02,
    `garbage share ${garbage.length / noisy.length}`,
  );
  for (const kind of garbageKinds) {
    assert.ok(
      garbage.some((row) => row.truth.subtopic === `garbage:${kind}`),
      `kind ${kind} appears`,
    );
  }
  for (const { ticket, truth } of garbage) {
    const text = ticket.text;
    const words = typeof text === "string" ? text.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length : 0;
    assert.ok(words < 3, `garbage ${truth.subtopic} has at most a couple of words`);
  }
  assert.ok(garbage.some((row) => row.ticket.text === null));
  assert.ok(garbage.some((row) => typeof row.ticket.text === "number"));
  assert.ok(noisy.filter((row) => !row.truth.garbage).every((row) => typeof row.ticket.text === "string"));
});

test("createdAt spreads over the range with quieter weekends", () => {
  const start = Date.parse("2019-01-01T00:00:00Z");
  const end = Date.parse("2021-05-15T00:00:00Z");
  const times = corpus.map((row) => Date.parse(row.ticket.createdAt));
  assert.ok(times.every((t) => t >= start && t < end));
  const years = new Set(corpus.map((row) => row.ticket.createdAt.slice(0, 4)));
  assert.deepEqual([...years].sort(), ["2019", "2020", "2021"]);
  const weekend = times.filter((t) => [0, 6].includes(new Date(t).getUTCDay())).length / times.length;
  assert.ok(weekend < 0.25, `weekend share ${weekend} (uniform would be 0.29)`);
});

test("invalid options are rejected with one message naming every problem", () => {
  assert.throws(
    () =>
      generateTickets({
        ...base,
        count: -1,
        garbageRate: 2,
        classShares: { Loans: 1 },
        endDate: "2021-13-01",
      }).next(),
    (error: Error) =>
      error instanceof RangeError &&
      ["count", "garbageRate", "Loans", "endDate"].every((w) => error.message.includes(w)),
  );
});
