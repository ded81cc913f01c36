/**
 * `inflow activity report` end to end through the built CLI against the local Bot API double:
 * both charts in one album with the caption, a 429 retried, never a second post for the same chat
 * and date, permanent Telegram errors and missing configuration as exit 2.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { generateActivity } from "../../src/activity/generate.js";
import { telegramExportJson } from "../../src/activity/sources/telegram-export-writer.js";
import { TelegramBotApiDouble } from "../harness/telegram-bot-double.js";

const zone = "Europe/Berlin";
const D1 = "2024-03-31";
const D2 = "2024-04-01";
const token = "123456:TEST-double-token";
let dir: string;
let double: TelegramBotApiDouble;

type Summary = Record<string, unknown>;

/** Async spawn: the double answers in this process, so the CLI must not block the event loop. */
function inflow(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; summary: Summary }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        resolve("bin/inflow.js"),
        "activity",
        ...args,
        "--store",
        `file://${join(dir, "store")}`,
        "--raw-store",
        `file://${join(dir, "raw")}`,
      ],
      {
        env: {
          ...process.env,
          INFLOW_ACTIVITY_CHAT: "1234567",
          INFLOW_ACTIVITY_TIME_ZONE: zone,
          INFLOW_RUN_STORE: join(dir, "runs"),
          INFLOW_LOG_LEVEL: "error",
          TELEGRAM_BOT_TOKEN: token,
          TELEGRAM_API_ROOT: double.apiRoot,
          INFLOW_REPORT_CHAT_ID: "-1001000",
          ...env,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      done({ code: code ?? -1, summary: last.startsWith("{") ? (JSON.parse(last) as Summary) : {} });
    });
  });
}

async function ok(args: string[]): Promise<Summary> {
  const { code, summary } = await inflow(args);
  assert.equal(code, 0, `${args.join(" ")}: ${JSON.stringify(summary)}`);
  return summary;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "inflow-activity-report-"));
  double = await TelegramBotApiDouble.start();
  const generated = generateActivity({ days: 60, firstDay: "2024-02-01", zone, seed: 7 });
  const exportPath = join(dir, "result.json");
  writeFileSync(exportPath, telegramExportJson(generated.messages, { name: "Synthetic", id: 1234567, zone }));
  await ok(["ingest", "--date", D2, "--export", exportPath]);
  for (const date of [D1, D2]) {
    for (const step of [["aggregate"], ["evaluate"], ["train", "--backtest-days", "14"], ["forecast"]]) {
      await ok([...step, "--date", date]);
    }
  }
  await ok(["chart", "--date", D2]);
});
after(async () => {
  await double.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the report posts both charts once with the caption, retrying a 429", async () => {
  double.failNext({ status: 429, retryAfter: 1 });
  const first = await ok(["report", "--date", D2]);
  assert.equal(first.decision, "send");
  assert.equal((first.messageIds as number[]).length, 2);
  const attempts = double.calls.filter((c) => c.method === "sendMediaGroup");
  assert.deepEqual(
    attempts.map((c) => c.status),
    [429, 200],
  );
  assert.ok(attempts[1]!.at - attempts[0]!.at >= 1000, "waited retry_after before retrying");
  const [post] = double.posts();
  assert.equal(post!.token, token);
  assert.equal(post!.params.chat_id, "-1001000");
  assert.deepEqual(
    post!.files.map((f) => f.filename),
    [`activity-${D2}-yesterday.png`, `activity-${D2}-today.png`],
  );
  const caption = (JSON.parse(post!.params.media!) as { caption?: string }[])[0]!.caption!;
  assert.match(caption, new RegExp(`Yesterday ${D1}: <b>\\d+</b> messages, forecast`));
  assert.match(caption, new RegExp(`Today ${D2}: expected <b>`));
  assert.match(caption, /sMAPE \d\.\d\d · MAE/);
  assert.match(caption, /Tracked run: <code>.*run\.json<\/code>/);

  const rerun = await ok(["report", "--date", D2]);
  assert.equal(rerun.decision, "skip-sent");
  assert.equal(double.posts().length, 1, "a rerun never posts again");
});

test("a rejected post exits 2 and may be retried; an uncertain one needs --force", async () => {
  const other = { INFLOW_REPORT_CHAT_ID: "-1002000" };
  double.failNext({ status: 400, description: "Bad Request: chat not found" });
  const rejected = await inflow(["report", "--date", D2], other);
  assert.equal(rejected.code, 2);
  assert.match(String(rejected.summary.error), /chat not found/);
  const posts = double.posts().length;
  assert.equal((await inflow(["report", "--date", D2], other)).code, 0);
  assert.equal(double.posts().length, posts + 1, "a failed marker lets the next run post");

  // A run that died between posting and recording the outcome leaves a "sending" marker.
  const markerDir = join(dir, "store", "activity/chat=1234567/report-sent/to=-1003000");
  mkdirSync(markerDir, { recursive: true });
  writeFileSync(
    join(markerDir, `${D2}.json`),
    JSON.stringify({ chatId: "-1003000", date: D2, state: "sending", at: "2024-04-01T07:00:00.000Z" }),
  );
  const uncertain = await inflow(["report", "--date", D2], { INFLOW_REPORT_CHAT_ID: "-1003000" });
  assert.equal(uncertain.code, 2);
  assert.match(String(uncertain.summary.error), /--force/);
  assert.equal(double.posts().length, posts + 1);
  const forced = await inflow(["report", "--date", D2, "--force"], { INFLOW_REPORT_CHAT_ID: "-1003000" });
  assert.equal(forced.code, 0);
  assert.equal(JSON.parse(readFileSync(join(markerDir, `${D2}.json`), "utf8")).state, "sent");
});

test("missing bot configuration exits 2 naming the variables, without posting", async () => {
  const posts = double.posts().length;
  const { code, summary } = await inflow(["report", "--date", D2], {
    TELEGRAM_BOT_TOKEN: undefined,
    INFLOW_REPORT_CHAT_ID: undefined,
  });
  assert.equal(code, 2);
  assert.match(String(summary.error), /TELEGRAM_BOT_TOKEN[\s\S]*INFLOW_REPORT_CHAT_ID/);
  assert.ok(!String(summary.error).includes(token));
  assert.equal(double.posts().length, posts);
});
