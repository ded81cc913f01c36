import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { generateActivity } from "../../src/activity/generate.js";
import { telegramExportJson } from "../../src/activity/sources/telegram-export-writer.js";
import { runCli } from "../harness/cli.js";

/** Replays `activity train --backtest-days 1000 …`: no silent cap, and no published model replaced. */
const zone = "Europe/Berlin";
const date = "2024-03-20";
let dir: string;
let env: NodeJS.ProcessEnv;
const activity = (...args: string[]) => runCli(["activity", ...args, "--date", date], env, dir);
const modelVersions = async () =>
  (await readdir(join(dir, "store/activity/chat=1234567/model", `date=${date}`))).filter((v) =>
    v.startsWith("v="),
  );

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "inflow-activity-rerun-"));
  const generated = generateActivity({ days: 40, firstDay: "2024-02-01", zone, seed: 3 });
  await writeFile(
    join(dir, "result.json"),
    telegramExportJson(generated.messages, { name: "S", id: 1234567, zone }),
  );
  env = {
    ...process.env,
    INFLOW_STORE: `file://${dir}/store`,
    INFLOW_RAW_STORE: `file://${dir}/raw`,
    INFLOW_RUN_STORE: join(dir, "runs"),
    INFLOW_ACTIVITY_CHAT: "1234567",
    INFLOW_ACTIVITY_TIME_ZONE: zone,
    INFLOW_LOG_LEVEL: "error",
  };
  for (const step of [["ingest", "--export", join(dir, "result.json")], ["aggregate"]]) {
    const result = activity(...step);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  }
});
after(() => rm(dir, { recursive: true, force: true }));

test("activity train --backtest-days 1000 exits 2 naming the most the history allows, instead of capping", () => {
  const result = activity("train", "--backtest-days", "1000");
  assert.equal(result.status, 2, result.stdout);
  assert.match(
    String(result.summary.error),
    /--backtest-days 1000: only \d+ days .* use --backtest-days \d+ or less/,
  );
});

test("activity train reruns under another run id publish a new version and keep the published one", async () => {
  const first = activity("train", "--backtest-days", "3");
  assert.equal(first.status, 0, first.stdout);
  const other = activity("train", "--backtest-days", "5", "--run-id", "manual__other");
  assert.equal(other.status, 0, other.stdout);
  assert.deepEqual((await modelVersions()).sort(), [`v=manual__${date}`, "v=manual__other"]);
});
