import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import { rejectReasons } from "../../src/tickets/sources/read.js";
import { InputError } from "../../src/util/errors.js";
import { collectTickets, TempFiles, ticketFixtures } from "../harness/ticket-sources.js";

const temp = new TempFiles();
after(() => temp.dispose());

test("JSONL: bad lines are rejected and reading goes on; blank lines are no records", async () => {
  const records = await collectTickets(join(ticketFixtures, "tickets.jsonl"), {
    carryFields: ["product", "meta.product"],
  });
  assert.deepEqual(records, [
    {
      kind: "ticket",
      position: 0,
      id: "t-1",
      text: "I was charged a late fee on my loan.",
      fields: { product: "Student loan" },
    },
    { kind: "reject", position: 1, reason: rejectReasons.malformedJson },
    {
      kind: "ticket",
      position: 2,
      id: "7",
      text: "Numeric ids are kept as strings.",
      fields: { product: "Other" },
    },
    { kind: "reject", position: 3, reason: rejectReasons.notAnObject },
    { kind: "reject", position: 4, id: "t-5", reason: rejectReasons.missingText },
    { kind: "reject", position: 5, reason: rejectReasons.missingId },
    { kind: "reject", position: 6, id: "t-7", reason: rejectReasons.emptyText },
    { kind: "reject", position: 7, id: "t-8", reason: rejectReasons.textNotString },
  ]);
});

test("JSONL: a line with invalid UTF-8 bytes is rejected, its neighbours are read", async () => {
  const bytes = Buffer.concat([
    Buffer.from('{"id":"a","text":"before"}\r\n{"id":"b","text":"caf'),
    Buffer.from([0xe9]), // Latin-1 "é": not UTF-8
    Buffer.from('"}\n{"id":"c","text":"after, no final newline"}'),
  ]);
  const records = await collectTickets(await temp.write("mixed.ndjson", bytes));
  assert.deepEqual(records, [
    { kind: "ticket", position: 0, id: "a", text: "before", fields: {} },
    { kind: "reject", position: 1, reason: rejectReasons.invalidUtf8 },
    { kind: "ticket", position: 2, id: "c", text: "after, no final newline", fields: {} },
  ]);
});

test("JSONL: the CFPB shape is recognised per line too", async () => {
  const cfpb = JSON.parse(await readFile(join(ticketFixtures, "cfpb.json"), "utf8")) as unknown[];
  const path = await temp.write("cfpb.jsonl", `${cfpb.map((item) => JSON.stringify(item)).join("\n")}\n`);
  const ids = (await collectTickets(path))
    .filter((record) => record.kind === "ticket")
    .map((record) => record.id);
  assert.deepEqual(ids, ["3211475", "3180294"]);
});

test("CSV: quoted multi-line fields, BOM and CRLF; short, empty-text and empty-id rows are rejected", async () => {
  const records = await collectTickets(join(ticketFixtures, "tickets.csv"), {
    textField: "complaint",
    idField: "ticket_id",
    carryFields: ["product"],
  });
  assert.deepEqual(records, [
    {
      kind: "ticket",
      position: 0,
      id: "t-1",
      text: "My mortgage servicer, XXXX, applied\r\nthe payment to the wrong loan.",
      fields: { product: "Mortgage" },
    },
    {
      kind: "ticket",
      position: 1,
      id: "t-2",
      text: 'They said "no" twice.',
      fields: { product: "Debt collection" },
    },
    { kind: "reject", position: 2, id: "t-3", reason: rejectReasons.emptyText },
    { kind: "reject", position: 3, id: "t-4", reason: rejectReasons.missingText },
    { kind: "reject", position: 4, reason: rejectReasons.missingId },
  ]);
});

test("CSV: a row with invalid UTF-8 bytes is rejected, the others are read", async () => {
  const bytes = Buffer.concat([
    Buffer.from('id,text\na,"fine"\nb,"bad '),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"\nc,also fine\n'),
  ]);
  const records = await collectTickets(await temp.write("tickets.csv", bytes));
  assert.deepEqual(
    records.map((record) => (record.kind === "ticket" ? record.text : record.reason)),
    ["fine", rejectReasons.invalidUtf8, "also fine"],
  );
});

test("CSV: a header that is one column holding another delimiter names --delimiter", async () => {
  for (const [delimiter, flag] of [
    [";", ";"],
    ["\t", "\\t"],
  ]) {
    const path = await temp.write("semi.csv", `id${delimiter}text\na${delimiter}card declined\n`);
    await assert.rejects(collectTickets(path), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.ok(
        error.message.endsWith(`: a "${flag}"-separated file? pass --delimiter "${flag}"`),
        error.message,
      );
      return true;
    });
    // Told the delimiter, the same file reads.
    const read = await collectTickets(path, { delimiter: delimiter! });
    assert.deepEqual(
      read.map((record) => record.kind),
      ["ticket"],
    );
  }
});

test("CSV: missing text or carry column, or a broken quote, raises InputError naming the file", async () => {
  const path = join(ticketFixtures, "tickets.csv");
  await assert.rejects(collectTickets(path), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /tickets\.csv has no column "text"/);
    assert.match(error.message, /"complaint"/);
    return true;
  });
  await assert.rejects(
    collectTickets(path, { textField: "complaint", carryFields: ["issue"] }),
    /no column "issue"/,
  );
  const unclosed = await temp.write("unclosed.csv", 'id,text\na,"never closed\n');
  await assert.rejects(collectTickets(unclosed), /unclosed\.csv/);
  await assert.rejects(collectTickets(await temp.write("empty.csv", "")), /has no CSV header row/);
});
