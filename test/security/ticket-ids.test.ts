/**
 * Ticket ids are never made up (issue 14, point 8): a row without a usable id in a file that has ids
 * is quarantined with a reason; a file with no id field at all gets ids derived from each text, the
 * same in every run and whatever the row order.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { rejectReasons } from "../../src/tickets/sources/read.js";
import { InputError } from "../../src/util/errors.js";
import { sha256 } from "../../src/util/hash.js";
import { collectTickets, TempFiles } from "../harness/ticket-sources.js";

const temp = new TempFiles();
after(() => temp.dispose());

const idsOf = async (path: string, options = {}) =>
  (await collectTickets(path, options)).map((record) =>
    record.kind === "ticket" ? record.id : record.reason,
  );
const derived = (text: string, repeat = 1) =>
  `text-${sha256(text).slice(0, 16)}${repeat === 1 ? "" : `-${repeat}`}`;

test("a file without ids gets ids from the text's sha256, -2 on a repeat, in every format", async () => {
  const texts = ["card declined", "wire missing", "card declined"];
  const expected = [derived(texts[0]!), derived(texts[1]!), derived(texts[0]!, 2)];
  const json = await temp.write("plain.json", JSON.stringify(texts.map((text) => ({ text }))));
  const jsonl = await temp.write("plain.jsonl", texts.map((text) => JSON.stringify({ text })).join("\n"));
  const csv = await temp.write("plain.csv", `text\n${texts.join("\n")}\n`);
  for (const path of [json, jsonl, csv]) assert.deepEqual(await idsOf(path), expected, path);
  // A ticket's id does not depend on where the file puts it.
  const reordered = await temp.write("reordered.csv", "text\nwire missing\ncard declined\n");
  assert.deepEqual(await idsOf(reordered), [expected[1], expected[0]]);
});

test("a file that has ids quarantines rows without a usable one, with the reason", async () => {
  const rows = [
    '{"id":"t-1","text":"card declined"}',
    '{"text":"no id"}',
    '{"id":"","text":"empty id"}',
    '{"id":{"$oid":"65f0a1"},"text":"object id"}',
    '{"id":[1],"text":"array id"}',
    '{"id":9007199254740993,"text":"beyond 2^53"}',
    '{"id":9007199254740991,"text":"largest exact integer"}',
  ];
  assert.deepEqual(await idsOf(await temp.write("ids.jsonl", rows.join("\n"))), [
    "t-1",
    rejectReasons.missingId,
    rejectReasons.missingId,
    rejectReasons.idNotScalar,
    rejectReasons.idNotScalar,
    rejectReasons.idNotExact,
    "9007199254740991",
  ]);
  const csv = await temp.write("ids.csv", "id,text\nt-1,card declined\n,no id\n");
  assert.deepEqual(await idsOf(csv), ["t-1", rejectReasons.missingId]);
});

test("a file whose first record has no id but later ones do is told, not guessed", async () => {
  const path = await temp.write("mixed.jsonl", '{"text":"no id"}\n{"id":"t-2","text":"has one"}\n');
  assert.deepEqual(await idsOf(path), [derived("no id"), rejectReasons.idInFileWithoutIds]);
  assert.deepEqual(await idsOf(path, { idField: "id" }), [rejectReasons.missingId, "t-2"]);
});

test("a CSV --id-field that names no column is an error, not a file without ids", async () => {
  const path = await temp.write("named.csv", "ticket,text\nt-1,card declined\n");
  await assert.rejects(idsOf(path, { idField: "ticket_id" }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /no column "ticket_id"/);
    return true;
  });
  assert.deepEqual(await idsOf(path, { idField: "ticket" }), ["t-1"]);
});
