import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readReportConfig } from "../../src/activity/config.js";
import { createBotApi, type Report, ReportRejectedError, sendReport } from "../../src/telegram/bot.js";
import { escapeHtml, fitCaption, visibleLength } from "../../src/telegram/caption.js";
import { decideReport, MemoryMarkerStore } from "../../src/telegram/sent-marker.js";
import { TelegramBotApiDouble } from "../harness/telegram-bot-double.js";

const token = "123456:TEST-double-token";
let double: TelegramBotApiDouble;

before(async () => {
  double = await TelegramBotApiDouble.start();
});
after(async () => {
  await double.stop();
});

const png = (size: number) => new Uint8Array(size).fill(7);
const report = (date: string): Report => ({
  chatId: "-1001234",
  date,
  photos: [
    { png: png(1500), filename: "actual.png" },
    { png: png(2500), filename: "forecast.png" },
  ],
  caption: `<b>Activity ${date}</b>\nsMAPE 0.61 &lt; seed`,
});

test("getMe answers through the double", async () => {
  const me = await createBotApi({ token, apiRoot: double.apiRoot }).getMe();
  assert.equal(me.username, "inflow_double_bot");
});

test("a report posts one album with both PNGs and the HTML caption on the first photo", async () => {
  const markers = new MemoryMarkerStore();
  const before = double.calls.length;
  const out = await sendReport(
    createBotApi({ token, apiRoot: double.apiRoot }),
    markers,
    report("2024-05-01"),
  );
  const calls = double.calls.slice(before);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.method, "sendMediaGroup");
  assert.equal(calls[0]!.token, token);
  assert.deepEqual(
    calls[0]!.files.map((f) => f.size),
    [1500, 2500],
  );
  const media = JSON.parse(calls[0]!.params.media!) as { caption?: string; parse_mode?: string }[];
  assert.equal(media[0]!.caption, report("2024-05-01").caption);
  assert.equal(media[0]!.parse_mode, "HTML");
  assert.equal(media[1]!.caption, undefined);
  assert.equal(out.decision, "send");
  assert.equal(out.messageIds.length, 2);
  assert.equal((await markers.get("-1001234", "2024-05-01"))!.state, "sent");
});

test("429 is retried after retry_after and posts once", async () => {
  double.failNext({ status: 429, retryAfter: 1 });
  const before = double.calls.length;
  const postsBefore = double.posts().length;
  await sendReport(
    createBotApi({ token, apiRoot: double.apiRoot }),
    new MemoryMarkerStore(),
    report("2024-05-02"),
  );
  const calls = double.calls.slice(before);
  assert.deepEqual(
    calls.map((c) => c.status),
    [429, 200],
  );
  assert.ok(calls[1]!.at - calls[0]!.at >= 950, `waited ${calls[1]!.at - calls[0]!.at} ms`);
  assert.equal(double.posts().length - postsBefore, 1);
});

test("500 is retried with backoff and then posts", async () => {
  double.failNext({ status: 500 });
  const before = double.calls.length;
  await sendReport(
    createBotApi({ token, apiRoot: double.apiRoot }),
    new MemoryMarkerStore(),
    report("2024-05-03"),
  );
  assert.deepEqual(
    double.calls.slice(before).map((c) => c.status),
    [500, 200],
  );
});

test("400 fails at once with a clear error, marks the date failed, and a rerun may send", async () => {
  const markers = new MemoryMarkerStore();
  const api = createBotApi({ token, apiRoot: double.apiRoot });
  double.failNext({ status: 400, description: "Bad Request: chat not found" });
  const before = double.calls.length;
  await assert.rejects(sendReport(api, markers, report("2024-05-04")), (e: unknown) => {
    assert.ok(e instanceof ReportRejectedError);
    assert.equal(e.errorCode, 400);
    assert.match(e.message, /chat not found/);
    assert.doesNotMatch(e.message, /TEST-double-token/);
    return true;
  });
  assert.equal(double.calls.length - before, 1);
  assert.equal((await markers.get("-1001234", "2024-05-04"))!.state, "failed");
  assert.equal((await sendReport(api, markers, report("2024-05-04"))).decision, "send");
});

test("a rerun for the same date does not post again; an interrupted post is not repeated without force", async () => {
  const markers = new MemoryMarkerStore();
  const api = createBotApi({ token, apiRoot: double.apiRoot });
  await sendReport(api, markers, report("2024-05-05"));
  const posts = double.posts().length;
  assert.equal((await sendReport(api, markers, report("2024-05-05"))).decision, "skip-sent");
  await markers.put({ chatId: "-1001234", date: "2024-05-06", state: "sending", at: "2024-05-06T09:00:00Z" });
  assert.equal((await sendReport(api, markers, report("2024-05-06"))).decision, "refuse-uncertain");
  assert.equal(double.posts().length, posts);
  assert.equal((await sendReport(api, markers, { ...report("2024-05-06"), force: true })).decision, "send");
  assert.equal(double.posts().length, posts + 1);
});

test("decision table", () => {
  assert.equal(decideReport(undefined), "send");
  assert.equal(decideReport({ chatId: "c", date: "d", state: "failed", at: "" }), "send");
  assert.equal(decideReport({ chatId: "c", date: "d", state: "sent", at: "" }), "skip-sent");
  assert.equal(decideReport({ chatId: "c", date: "d", state: "sent", at: "" }, true), "send");
  assert.equal(decideReport({ chatId: "c", date: "d", state: "sending", at: "" }), "refuse-uncertain");
});

test("captions: HTML escaping, visible length, whole lines dropped to fit 1024", () => {
  assert.equal(escapeHtml("a < b & c > d"), "a &lt; b &amp; c &gt; d");
  assert.equal(visibleLength("<b>x &amp; y</b>"), 5);
  const lines = ["<b>head</b>", "x".repeat(1000), "y".repeat(100)];
  assert.equal(fitCaption(lines), `<b>head</b>\n${"x".repeat(1000)}`);
  assert.throws(() => fitCaption(["z".repeat(1025)]), /exceeds 1024/);
});

test("the report's bot token and chat are checked with the rest of the configuration", () => {
  const problems: string[] = [];
  readReportConfig({}, problems);
  assert.match(problems.join("\n"), /TELEGRAM_BOT_TOKEN is missing or not a bot token/);
  assert.match(problems.join("\n"), /INFLOW_REPORT_CHAT_ID is required/);
  const fine: string[] = [];
  assert.equal(
    readReportConfig({ TELEGRAM_BOT_TOKEN: token, INFLOW_REPORT_CHAT_ID: "-100" }, fine).botToken,
    token,
  );
  assert.deepEqual(fine, []);
});
