import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeGeneratedCorpus } from "../../src/tickets/generator/corpus.js";
import { generateTickets, writeCfpbExport, writeJsonl } from "../../src/tickets/generator/generate.js";

const options = { count: 400, seed: 5, garbageRate: 0.2, startDate: "2020-01-01", endDate: "2020-06-30" };
const rows = [...generateTickets(options)];
const tickets = rows.map((row) => row.ticket);

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-export-"));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("the CFPB export is one JSON array of Elasticsearch hits carrying the narrative", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "complaints.json");
    await writeCfpbExport(path, tickets);
    const hits = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>[];
    assert.ok(Array.isArray(hits));
    assert.equal(hits.length, tickets.length);
    hits.forEach((hit, i) => {
      const ticket = tickets[i]!;
      assert.deepEqual(Object.keys(hit), ["_index", "_type", "_id", "_score", "_source"]);
      assert.equal(hit._id, ticket.id);
      const source = hit._source as Record<string, unknown>;
      assert.deepEqual(source.complaint_what_happened, ticket.text);
      assert.equal(source.product, ticket.product);
      assert.equal(source.sub_product, ticket.subProduct);
      assert.equal(source.date_received, ticket.createdAt);
      assert.equal(source.complaint_id, ticket.id);
      for (const field of ["issue", "company", "state", "company_response", "submitted_via"]) {
        assert.equal(typeof source[field], "string", field);
      }
    });
    assert.ok(
      hits.some(
        (hit) => (hit._source as { complaint_what_happened: unknown }).complaint_what_happened === null,
      ),
    );
  });
});

test("an empty export is still a valid JSON array", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "empty.json");
    await writeCfpbExport(path, []);
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")), []);
  });
});

test("truth goes to its own JSONL file, one row per ticket, garbage flagged", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "truth.jsonl");
    await writeJsonl(
      path,
      rows.map((row) => row.truth),
    );
    const lines = (await readFile(path, "utf8")).trimEnd().split("\n");
    assert.equal(lines.length, rows.length);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(Object.keys(parsed[0]!), ["id", "department", "subtopic", "garbage"]);
    assert.deepEqual(
      parsed.map((row) => row.id),
      tickets.map((ticket) => ticket.id),
    );
    assert.equal(
      parsed.filter((row) => row.garbage === true).length,
      rows.filter((r) => r.truth.garbage).length,
    );
  });
});

test("a writer that fails midway leaves neither a half file nor a temporary file, and keeps the old file", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "complaints.json");
    await writeFile(path, "previous");
    function* failing() {
      // Enough rows to pass the write batch, so part of the output has reached the disk.
      for (let i = 0; i < 300; i++) yield tickets[i % tickets.length]!;
      throw new Error("source broke");
    }
    await assert.rejects(writeCfpbExport(path, failing()), /source broke/);
    assert.equal(await readFile(path, "utf8"), "previous");
    assert.deepEqual(await readdir(dir), ["complaints.json"]);
  });
});

test("a large corpus streams through with backpressure and arrives whole", async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, "big.jsonl");
    const count = 20000;
    const bigCorpus = { count, seed: 9, garbageRate: 0.005, startDate: "2021-01-01", endDate: "2021-12-31" };
    await writeJsonl(
      path,
      (function* () {
        for (const row of generateTickets(bigCorpus)) yield row.ticket;
      })(),
    );
    const text = await readFile(path, "utf8");
    const lines = text.trimEnd().split("\n");
    assert.equal(lines.length, count);
    assert.equal((JSON.parse(lines.at(-1)!) as { id: string }).id, String(3_000_000 + count - 1));
  });
});

test("the one-pass corpus writer produces the same files as the separate writers", async () => {
  await inTempDir(async (dir) => {
    const paths = { tickets: join(dir, "corpus.json"), truth: join(dir, "corpus-truth.jsonl") };
    const summary = await writeGeneratedCorpus(options, { ...paths, format: "cfpb" });
    await writeCfpbExport(join(dir, "export.json"), tickets);
    await writeJsonl(
      join(dir, "truth.jsonl"),
      rows.map((row) => row.truth),
    );
    assert.equal(await readFile(paths.tickets, "utf8"), await readFile(join(dir, "export.json"), "utf8"));
    assert.equal(await readFile(paths.truth, "utf8"), await readFile(join(dir, "truth.jsonl"), "utf8"));
    assert.equal(summary.count, rows.length);
    assert.equal(summary.garbage, rows.filter((row) => row.truth.garbage).length);
    assert.equal(
      Object.values(summary.byDepartment).reduce((a, b) => a + b, 0),
      rows.length,
    );

    const jsonl = {
      tickets: join(dir, "tickets.jsonl"),
      truth: join(dir, "t.jsonl"),
      format: "jsonl" as const,
    };
    await writeGeneratedCorpus({ ...options, count: 50 }, jsonl);
    const lines = (await readFile(jsonl.tickets, "utf8")).trimEnd().split("\n");
    assert.deepEqual(
      lines.map((line) => JSON.parse(line)),
      tickets.slice(0, 50),
    );
  });
});

test("the corpus writer publishes nothing when the options are invalid", async () => {
  await inTempDir(async (dir) => {
    const paths = { tickets: join(dir, "c.json"), truth: join(dir, "t.jsonl"), format: "cfpb" as const };
    await assert.rejects(writeGeneratedCorpus({ ...options, startDate: "not a date" }, paths), RangeError);
    assert.deepEqual(await readdir(dir), []);
  });
});

test("writing into a missing directory fails instead of hanging", async () => {
  await inTempDir(async (dir) => {
    await assert.rejects(writeJsonl(join(dir, "missing", "rows.jsonl"), [{ a: 1 }]), /ENOENT/);
    await assert.rejects(writeCfpbExport(join(dir, "missing", "big.json"), tickets), /ENOENT/);
  });
});
