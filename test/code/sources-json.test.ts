import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { rejectReasons } from "../../src/tickets/sources/read.js";
import { InputError } from "../../src/util/errors.js";
import { collectTickets, TempFiles, ticketFixtures } from "../harness/ticket-sources.js";

const cfpbPath = join(ticketFixtures, "cfpb.json");
const temp = new TempFiles();
after(() => temp.dispose());

test("CFPB export: shape recognised, every record a ticket or a reject with its reason", async () => {
  const records = await collectTickets(cfpbPath, { carryFields: ["product", "_index"] });
  assert.deepEqual(records, [
    {
      kind: "ticket",
      position: 0,
      id: "3211475",
      text: "My credit card was charged twice for the same purchase on XX/XX/2019.",
      fields: { product: "Credit card or prepaid card", _index: "complaint-public-v2" },
    },
    { kind: "reject", position: 1, id: "3229299", reason: rejectReasons.emptyText },
    { kind: "reject", position: 2, id: "3199379", reason: rejectReasons.textNotString },
    { kind: "reject", position: 3, id: "3233499", reason: rejectReasons.missingText },
    { kind: "reject", position: 4, reason: rejectReasons.notAnObject },
    {
      kind: "ticket",
      position: 5,
      id: "3180294",
      text: "The bank closed my checking account\nwithout notice and kept the overdraft fees.",
      fields: { product: "Checking or savings account", _index: "complaint-public-v2" },
    },
  ]);
});

test("CFPB export: text and id paths can be overridden", async () => {
  const records = await collectTickets(cfpbPath, { textField: "_source.company", idField: "_source.state" });
  const tickets = records.filter((record) => record.kind === "ticket");
  assert.equal(tickets.length, 5);
  assert.deepEqual(
    tickets.map((ticket) => [ticket.id, ticket.text]),
    [
      ["CA", "BANK OF AMERICA, NATIONAL ASSOCIATION"],
      ["NY", "Portfolio Recovery Associates, Inc."],
      ["TX", "WELLS FARGO & COMPANY"],
      ["FL", "JPMORGAN CHASE & CO."],
      ["FL", "JPMORGAN CHASE & CO."],
    ],
  );
});

test("gzip is read transparently, by magic number whatever the name", async () => {
  const plain = await collectTickets(cfpbPath);
  assert.deepEqual(await collectTickets(join(ticketFixtures, "cfpb.json.gz")), plain);
  const misnamed = await temp.write("export.json", gzipSync(await readFile(cfpbPath)));
  assert.deepEqual(await collectTickets(misnamed), plain);
});

test("invalid UTF-8 inside a JSON array rejects that record only", async () => {
  const bytes = Buffer.concat([
    Buffer.from('[{"id":"a","text":"fine"},{"id":"b","text":"bad '),
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from(' bytes"},{"id":"c","text":"also fine"}]'),
  ]);
  const records = await collectTickets(await temp.write("tickets.json", bytes));
  assert.deepEqual(
    records.map((record) => (record.kind === "ticket" ? record.id : `${record.id}:${record.reason}`)),
    ["a", `b:${rejectReasons.invalidUtf8}`, "c"],
  );
});

test("plain JSON array uses text/id defaults; rows without a usable id are quarantined, never renamed", async () => {
  const path = await temp.write(
    "plain.json",
    '[{"id":"a","text":"one"},{"id":42,"text":"two"},{"id":"","text":"three"},{"text":"four"},' +
      '{"id":null,"text":"five"},{"id":{"$oid":"65f0"},"text":"six"},{"id":true,"text":"seven"},' +
      '{"id":12345678901234567891,"text":"eight"}]',
  );
  assert.deepEqual(
    (await collectTickets(path)).map((record) => (record.kind === "ticket" ? record.id : record.reason)),
    [
      "a",
      "42",
      rejectReasons.missingId,
      rejectReasons.missingId,
      rejectReasons.missingId,
      rejectReasons.idNotScalar,
      rejectReasons.idNotScalar,
      rejectReasons.idNotExact,
    ],
  );
});

test("a file that cannot be parsed raises InputError naming the file", async () => {
  const truncated = await temp.write("truncated.json", '[{"id":"a","text":"fine"},{"id":"b","text":"cut');
  await assert.rejects(collectTickets(truncated), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /truncated\.json/);
    return true;
  });
  const notArray = await temp.write("lines.json", '{"id":"a","text":"x"}\n{"id":"b","text":"y"}\n');
  await assert.rejects(collectTickets(notArray), /lines\.json.*format jsonl/);
  const brokenGzip = await temp.write("cut.json.gz", gzipSync(await readFile(cfpbPath)).subarray(0, 200));
  await assert.rejects(collectTickets(brokenGzip), InputError);
  await assert.rejects(collectTickets(join(ticketFixtures, "missing.json")), InputError);
  await assert.rejects(
    collectTickets(join(ticketFixtures, "tickets.txt")),
    /cannot tell the ticket format .* or pass --format json, jsonl or csv$/,
  );
  const tsv = await temp.write("export.tsv", "id\ttext\na\tcard declined\n");
  await assert.rejects(collectTickets(tsv), /\(a \.tsv file: --format csv --delimiter "\\t"\)$/);
  assert.equal((await collectTickets(tsv, { format: "csv", delimiter: "\t" })).length, 1, "read as told");
});

test("format override reads a file whatever its extension", async () => {
  const path = await temp.write("export.txt", '[{"id":"a","text":"fine"}]');
  assert.deepEqual(await collectTickets(path, { format: "json" }), [
    { kind: "ticket", position: 0, id: "a", text: "fine", fields: {} },
  ]);
});
