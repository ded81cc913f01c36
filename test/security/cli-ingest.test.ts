import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { createWorkspace, type Workspace } from "../harness/cli.js";

/**
 * Replays the red-team attempts on `tickets ingest`: files nothing can read are refused with advice
 * and nothing is stored; a stored file can be retracted with a reason, which preprocess honours.
 */
const date = "2026-06-02";
const day = "2026-06-01"; // the partition ingest --date writes is read by preprocess of the next day

const tickets = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `${prefix}-${i}`,
      text: `My card payment number ${i} was declined twice at the store`,
    }),
  ).join("\n");

describe("ingest stores nothing it cannot read", () => {
  let ws: Workspace;
  const file = (name: string) => join(ws.dir, name);
  const stored = async () => readdir(join(ws.dir, "raw/tickets", `date=${day}`)).catch((): string[] => []);
  const ingest = (...args: string[]) => ws.run("tickets", "ingest", "--date", day, ...args);
  const refused = async (name: string, body: Buffer | string, message: RegExp, ...args: string[]) => {
    await writeFile(file(name), body);
    const before = await stored();
    const result = ingest("--input", file(name), ...args);
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.match(String(result.summary.error), message);
    assert.deepEqual(await stored(), before, "nothing was stored");
    return result;
  };

  before(async () => {
    ws = await createWorkspace();
  });
  after(() => ws.dispose());

  test("an empty file is refused", async () => {
    await refused("empty.jsonl", "", /is empty: export the tickets again/);
  });

  test("a binary file is refused", async () => {
    await refused(
      "binary.jsonl",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2]),
      /not a text file/,
    );
  });

  test("a truncated gzip is refused with what to do", async () => {
    const gz = gzipSync(tickets("gz", 200));
    await refused("cut.jsonl.gz", gz.subarray(0, gz.length >> 1), /gzip data is truncated or corrupt/);
  });

  test("UTF-16 (with or without BOM) is refused with conversion advice, not 'use format jsonl'", async () => {
    const utf16 = Buffer.from(`[${tickets("u", 3).split("\n").join(",")}]`, "utf16le");
    const withBom = await refused(
      "bom16.json",
      Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]),
      /UTF-16.*iconv/,
    );
    assert.doesNotMatch(String(withBom.summary.error), /format jsonl/);
    await refused("nobom16.json", utf16, /UTF-16.*iconv/);
  });

  test("a file whose text field is elsewhere is refused, naming --text-field", async () => {
    await refused("fields.jsonl", '{"ref":"a","body":"hello there"}\n', /no readable tickets.*--text-field/);
  });

  test("a file whose ids repeat (wrong --id-field) is refused", async () => {
    const rows = ['{"id":"a","text":"card declined"}', '{"id":"a","text":"wire transfer missing"}'];
    await refused("dupes.jsonl", rows.join("\n"), /1 ticket repeats an id \(\["a"\]\).*--id-field/);
  });

  test("object ids (a database export's {$oid}) are refused, never replaced by made-up ids", async () => {
    const rows = ["a1", "b2", "c3"].map((oid) =>
      JSON.stringify({ id: { $oid: oid }, text: "card declined" }),
    );
    await refused("oids.jsonl", rows.join("\n"), /id is not a string or number.*--id-field/);
  });

  test("a file with a few unreadable rows is stored, its summary saying which and why", async () => {
    const rows = [tickets("r", 40), '{"text":"no id on this one"}', '{"id":"r-blank","text":"  "}'];
    await writeFile(file("some-bad.jsonl"), rows.join("\n"));
    const result = ws.run("tickets", "ingest", "--date", "2026-05-20", "--input", file("some-bad.jsonl"));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const [stored] = result.summary.files as { tickets: number; rejected: number; rejectReasons: unknown }[];
    assert.equal(stored?.tickets, 40);
    assert.equal(stored?.rejected, 2);
    assert.deepEqual(stored?.rejectReasons, { "missing id": 1, "empty text": 1 });
  });

  test("a batch with one bad file stores none of them", async () => {
    await writeFile(file("good.jsonl"), tickets("g", 5));
    await writeFile(file("bad.jsonl"), "");
    const result = ingest("--input", file("good.jsonl"), file("bad.jsonl"));
    assert.equal(result.status, 2);
    assert.deepEqual(await stored(), []);
  });

  test("a UTF-8 BOM and a ';' CSV with other column names are read, by ingest and preprocess", async () => {
    await writeFile(file("bom.jsonl"), `\ufeff${tickets("b", 20)}\n`);
    const bom = ingest("--input", file("bom.jsonl"));
    assert.equal(bom.status, 0, bom.stdout);
    const rows = Array.from(
      { length: 20 },
      (_, i) => `c-${i};"Wire transfer ${i} never arrived, bank says wait"`,
    );
    await writeFile(file("export.csv"), `ref;body\n${rows.join("\n")}\n`);
    const csv = ingest(
      "--input",
      file("export.csv"),
      "--delimiter",
      ";",
      "--text-field",
      "body",
      "--id-field",
      "ref",
    );
    assert.equal(csv.status, 0, csv.stdout);
    const pre = ws.run("tickets", "preprocess", "--date", date, "--window-days", "1");
    assert.equal(pre.status, 0, pre.stdout);
    assert.equal(pre.summary.tickets, 40);
    assert.equal(pre.summary.rejected, 0);
  });

  test("a stored file is retracted with a reason; preprocess leaves it out; the raw file stays", async () => {
    assert.equal(
      ws.run("tickets", "ingest", "--date", day, "--retract", "export.csv").status,
      2,
      "needs --reason",
    );
    const retract = ingest("--retract", "export.csv", "--reason", "exported twice by mistake");
    assert.equal(retract.status, 0, retract.stdout);
    const pre = ws.run("tickets", "preprocess", "--date", date, "--window-days", "1");
    assert.equal(pre.status, 0, pre.stdout);
    assert.equal(pre.summary.tickets, 20);
    assert.match(JSON.stringify(pre.summary.retracted), /exported twice by mistake/);
    assert.ok((await stored()).includes("export.csv"), "raw files are never deleted");
    assert.match(await readFile(join(ws.dir, "raw/tickets/date=2026-06-01/export.csv"), "utf8"), /^ref;body/);
    const unknown = ingest("--retract", "missing.csv", "--reason", "x");
    assert.equal(unknown.status, 2);
    assert.match(String(unknown.summary.error), /is not stored: nothing to retract/);
  });
});
