/**
 * `inflow tickets forecast` through the CLI on a store holding labelled partitions, their
 * preprocessed partitions (arrival time carried as date_received) and a taxonomy: what it publishes,
 * that a backfill reads only tickets before its date, that reruns reproduce the bytes, that the
 * morning report posts once (against the local Bot API double), and that a missing time field or an
 * unlabelled last day are readable errors.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Publication } from "../../src/store/publish.js";
import { kinds, type LabelledTicket, type PreprocessedTicket } from "../../src/tickets/dataset.js";
import { serializeTaxonomy, type Taxonomy } from "../../src/topics/taxonomy.js";
import { openStore } from "../../stores/open.js";
import { createWorkspace, runCliAsync, type Workspace } from "../harness/cli.js";
import { TelegramBotApiDouble } from "../harness/telegram-bot-double.js";

const taxonomy: Taxonomy = {
  version: 1,
  reviewThreshold: 0.5,
  departments: ["Cards", "Lending", "Unrouted"],
  topics: [
    { id: 0, name: "card fees", department: "Cards", origin: "person", topTerms: ["fee"] },
    { id: 1, name: "mortgage", department: "Lending", origin: "person", topTerms: ["escrow"] },
    {
      id: 2,
      name: "loan payoff",
      department: "Cards",
      origin: "person",
      topTerms: ["payoff"],
      mergedInto: 1,
    },
  ],
  catalog: [],
};

/** Ticket i of day d: Cards gets 2 per working hour, Lending 1 per working hour (half via a merged topic). */
function day(d: number): { id: string; at: string; topic: number }[] {
  const rows = [];
  const start = Date.parse("2026-01-01T00:00:00Z") + 86_400_000 * d;
  for (let h = 8; h < 18; h++) {
    for (const [k, topic] of [0, 0, h % 2 === 0 ? 1 : 2].entries())
      rows.push({
        id: `${d}-${h}-${k}`,
        at: new Date(start + 3_600_000 * h + 60_000 * k).toISOString(),
        topic,
      });
  }
  return rows;
}

async function publishPartition(storeUri: string, date: string, days: number[], withTime = true) {
  const store = await openStore(storeUri);
  const rows = days.flatMap(day);
  const preprocessed: PreprocessedTicket[] = rows.map((r, position) => ({
    id: r.id,
    tokens: ["fee"],
    source: "fixture.json",
    position,
    fields: withTime ? { date_received: r.at } : ({} as Record<string, string>),
  }));
  const tickets: LabelledTicket[] = rows.map((r) => ({
    id: r.id,
    tokens: ["fee"],
    topic: r.topic,
    confidence: 0.9,
  }));
  // One ticket no topic claimed: left out, and counted.
  preprocessed.push({
    id: `${date}-none`,
    tokens: [],
    source: "fixture.json",
    position: rows.length,
    fields: {},
  });
  tickets.push({ id: `${date}-none`, tokens: [], topic: -1, confidence: 0 });
  for (const [kind, rowsOut] of [
    [kinds.preprocessed, preprocessed],
    [kinds.labelled, tickets],
  ] as const) {
    const publication = new Publication(store, kind, date, "fixture");
    await publication.put("tickets.jsonl", `${rowsOut.map((t) => JSON.stringify(t)).join("\n")}\n`);
    await publication.publish({ inputs: [], params: {} }, {});
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("tickets forecast through the CLI", () => {
  let ws: Workspace;
  const forecast = (date: string, ...extra: string[]) =>
    ws.run("tickets", "forecast", "--date", date, "--history-days", "21", "--backtest-days", "7", ...extra);

  before(async () => {
    ws = await createWorkspace();
    const store = await openStore(ws.store);
    const tax = new Publication(store, kinds.taxonomy, "2025-12-01", "fixture");
    await tax.put("taxonomy.yaml", serializeTaxonomy(taxonomy));
    await tax.publish({ inputs: [], params: {} }, {});
    // Overlapping windows, as daily label runs over 7-day raw windows publish them.
    await publishPartition(ws.store, "2026-01-25", range(0, 24));
    await publishPartition(ws.store, "2026-02-01", range(17, 31));
    await publishPartition(ws.store, "2026-02-02", range(31, 32), false);
  });
  after(() => ws?.dispose());

  test("publishes per-department hours, 7 daily totals and a chart each, counting every ticket once", async () => {
    const result = forecast("2026-02-01");
    assert.equal(result.status, 0, result.stderr);
    const s = result.summary;
    assert.equal(s.tickets, 31 * 30, "31 days × 30 routed tickets, overlapping partitions counted once");
    assert.deepEqual(s.skipped, { unassigned: 2, noTime: 0, notBefore: 0 });
    assert.equal(s.departments, 2);
    assert.deepEqual(s.departmentsWithoutTickets, ["Unrouted"]);
    const expected = s.expected as Record<string, number>;
    assert.ok(
      Math.abs(expected.Cards! - 20) < 2 && Math.abs(expected.Lending! - 10) < 1.5,
      JSON.stringify(expected),
    );
    const outputs = (s.outputs as string[]).map((o) => o.split("/").at(-1));
    assert.deepEqual(outputs.sort(), [
      "chart-cards.png",
      "chart-lending.png",
      "days.csv",
      "hours.csv",
      "load-forecast.json",
    ]);
    assert.match(result.stdout, /^Lending: 10 tickets expected on 2026-02-01 \(model /m);
    const dir = join(ws.dir, "clean/tickets/load-forecast/date=2026-02-01/v=manual__2026-02-01");
    const hours = (await readFile(join(dir, "hours.csv"), "utf8")).trim().split("\n");
    assert.equal(hours.length, 1 + 2 * 24);
    const png = await readFile(join(dir, "chart-cards.png"));
    assert.equal(png.subarray(1, 4).toString(), "PNG");

    const rerun = forecast("2026-02-01");
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.deepEqual(rerun.summary.outputs, s.outputs, "a rerun of the same run keeps its published version");
    assert.equal((await readFile(join(dir, "load-forecast.json"), "utf8")).length > 0, true);
    const other = forecast("2026-02-01", "--run-id", "backfill__2026-02-01");
    assert.equal(other.status, 0, other.stderr);
    const otherDir = new URL(".", (other.summary.outputs as string[])[0]!);
    for (const name of ["load-forecast.json", "hours.csv", "days.csv", "chart-cards.png"])
      assert.deepEqual(
        await readFile(new URL(name, otherDir)),
        await readFile(join(dir, name)),
        `${name}: same bytes`,
      );
  });

  test("the morning report posts each department's chart and the caption once", async () => {
    const double = await TelegramBotApiDouble.start();
    try {
      const env = {
        ...ws.env,
        TELEGRAM_BOT_TOKEN: "123456:TEST-double-token",
        TELEGRAM_API_ROOT: double.apiRoot,
        INFLOW_REPORT_CHAT_ID: "-1001000",
      };
      const report = () => runCliAsync(["tickets", "report", "--date", "2026-02-01"], env, ws.dir);
      const first = await report();
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.summary.decision, "send");
      assert.equal(first.summary.charts, 2);
      const [post] = double.posts();
      assert.deepEqual(
        post!.files.map((f) => f.filename),
        ["load-2026-02-01-cards.png", "load-2026-02-01-lending.png"],
        "busiest first",
      );
      const caption = (JSON.parse(post!.params.media!) as { caption?: string }[])[0]!.caption!;
      assert.match(caption, /^<b>Ticket load 2026-02-01<\/b> \(UTC hours\)/);
      assert.match(caption, /Expected <b>\d+<\/b> tickets in 2 departments; next 7 days: /);
      // The fixture's regular hours pick a point model here (no band); the caption's bands: test/code.
      assert.match(
        caption,
        /\nCards: <b>20<\/b>( \(80%: \d+–\d+\))?, busiest \d\d:00 · [a-z0-9-]+\nLending: <b>10<\/b>/,
      );
      assert.match(caption, /Tracked run: <code>.*run\.json<\/code>/);
      const rerun = await report();
      assert.equal(rerun.summary.decision, "skip-sent");
      assert.equal(double.posts().length, 1, "a rerun never posts again");
      const missing = await runCliAsync(["tickets", "report", "--date", "2026-01-20"], env, ws.dir);
      assert.equal(missing.status, 2);
      assert.match(String(missing.summary.error), /run `inflow tickets forecast --date 2026-01-20` first/);
    } finally {
      await double.stop();
    }
  });

  test("a backfill reads only the partitions and tickets before its date", () => {
    const result = forecast("2026-01-25");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.summary.tickets, 24 * 30);
  });

  test("tickets without the time field, or a last day not labelled yet, are readable errors", () => {
    const noTime = ws.run(
      "tickets",
      "forecast",
      "--date",
      "2026-02-02",
      "--history-days",
      "1",
      "--backtest-days",
      "1",
    );
    assert.equal(noTime.status, 2);
    assert.match(String(noTime.summary.error), /--backtest-days 1 with --history-days 1/);
    const missing = forecast("2026-02-02", "--time-field", "received_at");
    assert.equal(missing.status, 2);
    assert.match(String(missing.summary.error), /readable `received_at`.*--carry received_at/);
    const stale = forecast("2026-02-05");
    assert.equal(stale.status, 1, "retryable: the day's labels may still come");
    assert.match(
      String(stale.summary.error),
      /partition of 2026-02-02: the days up to 2026-02-05 are not labelled yet/,
    );
  });
});
