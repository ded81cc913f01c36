import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { readManifest } from "../../src/store/publish.js";
import { kinds } from "../../src/tickets/dataset.js";
import { openStore } from "../../stores/open.js";
import { createWorkspace, type Workspace } from "../harness/cli.js";
import { consoleDate, consoleToken, startTestConsole, type TestConsole } from "../harness/console.js";

/**
 * Ticket text shown to people (relabel's representative tickets, the console) and read by a router
 * that reads words is read back from the raw files preprocess read. A raw file changed since (here: a
 * generated file, which has no ingest record, its texts edited in place) is refused, naming the file
 * and what to do; files left alone read as before, each with the options preprocess used (a CSV
 * ingested with `--delimiter ";"`, its own text and id columns).
 */
const date = consoleDate;
const csvDay = "2026-05-10";
const csvTexts = Array.from(
  { length: 10 },
  (_, i) => `My savings account, number ${i}, was charged a monthly fee twice`,
);

describe("ticket text is read only from the raw bytes preprocess read", () => {
  let ws: Workspace;
  const ok = (result: ReturnType<Workspace["run"]>) => {
    assert.equal(result.status, 0, result.stderr);
    return result;
  };
  const generated = () =>
    ["2026-05-09", "2026-05-10"].map((day) => join(ws.dir, "raw/tickets", `date=${day}`, "complaints.json"));

  before(async () => {
    ws = await createWorkspace();
    ok(ws.run("tickets", "generate", "--date", date, "--count", "240", "--days", "2", "--seed", "3"));
    const csv = join(ws.dir, "export.csv");
    await writeFile(csv, `ref;body\n${csvTexts.map((text, i) => `csv-${i};${text}`).join("\n")}\n`);
    ok(
      ws.run(
        "tickets",
        "ingest",
        "--date",
        csvDay,
        "--input",
        csv,
        "--delimiter",
        ";",
        "--id-field",
        "ref",
        "--text-field",
        "body",
      ),
    );
    ok(ws.run("tickets", "preprocess", "--date", date));
    ok(ws.run("tickets", "relabel", "--date", date, "--k", "3"));
  });
  after(() => ws?.dispose());

  test("unmodified: relabel's representatives and the console show every ticket's text, read as preprocess read it", async () => {
    const store = await openStore(ws.store);
    const model = (await readManifest(store, kinds.topicModel, date))!;
    const reportKey = model.outputs.find((o) => o.key.endsWith("/topic-report.json"))!.key;
    const report = JSON.parse((await store.get(reportKey)).toString("utf8")) as {
      topics: { representatives: { id: string; text: string | null }[] }[];
    };
    const shown = report.topics.flatMap((t) => t.representatives);
    assert.ok(shown.length >= 3);
    for (const { id, text } of shown) {
      assert.ok(text, `representative ${id} has no text`);
      if (id.startsWith("csv-")) assert.equal(text, csvTexts[Number(id.slice(4))]);
    }

    const server = await startTestConsole(ws);
    try {
      const ids = csvTexts.map((_, i) => `csv-${i}`);
      assert.deepEqual([...(await server.workspace.textsOf(ids)).values()], csvTexts);
      const queue = await fetch(`${server.url}/api/queue?size=20`, {
        headers: { authorization: `Bearer ${consoleToken}` },
      });
      assert.equal(queue.status, 200);
      const { items } = (await queue.json()) as { items: { id: string; text: string }[] };
      assert.equal(items.length, 20);
      for (const item of items) assert.ok(item.text.length > 0, `ticket ${item.id} shown without text`);
    } finally {
      await server.close();
    }
  });

  test("a raw file edited after preprocess: relabel exits 2 and the console answers 400 naming it; other files still read", async () => {
    for (const file of generated()) {
      const body = await readFile(file, "utf8");
      const edited = body.replaceAll('"complaint_what_happened":"', '"complaint_what_happened":"EDITED ');
      assert.notEqual(edited, body);
      await writeFile(file, edited);
    }
    const refusal = new RegExp(
      `tickets/date=2026-05-\\d\\d/complaints\\.json: sha256 [0-9a-f]{64} differs from what preprocess read for ${date}: [0-9a-f]{64} \\(changed after preprocess read it\\); restore the file preprocess read, or re-run \`inflow tickets preprocess --date ${date}\``,
    );

    const relabel = ws.run("tickets", "relabel", "--date", date, "--k", "3");
    assert.equal(relabel.status, 2, relabel.stderr);
    assert.match(String(relabel.summary.error), refusal);
    assert.doesNotMatch(relabel.stdout + relabel.stderr, /EDITED/);

    let server: TestConsole | null = null;
    try {
      server = await startTestConsole(ws);
      const bearer = { authorization: `Bearer ${consoleToken}` };
      const api = await fetch(`${server.url}/api/queue?size=20`, { headers: bearer });
      assert.equal(api.status, 400);
      assert.match(((await api.json()) as { message: string }).message, refusal);

      const generatedTicket = server.workspace.tickets.find((t) => !t.id.startsWith("csv-"))!;
      const page = await fetch(`${server.url}/tickets/${encodeURIComponent(generatedTicket.id)}`, {
        headers: bearer,
      });
      assert.equal(page.status, 400);
      const html = await page.text();
      assert.match(html, /changed after preprocess read it/);
      assert.doesNotMatch(html, /EDITED/);

      const csvTicket = await fetch(`${server.url}/tickets/csv-3`, { headers: bearer });
      assert.equal(csvTicket.status, 200);
      assert.match(await csvTicket.text(), new RegExp(csvTexts[3]!));
      assert.doesNotMatch(server.logs.join(""), /EDITED|savings account/);
    } finally {
      await server?.close();
    }
  });
});
