/**
 * The demos' INFLOW_DEMO_* variables go through the config module: a typo is a problem named with the
 * variable before anything runs (it was a NaN ticket count, or a stack trace from a date, steps later).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { readDemoSettings } from "../../scripts/demo-settings.js";
import { repoRoot } from "../harness/cli.js";

test("demo settings: defaults when unset; every bad value a problem naming its variable", () => {
  const problems: string[] = [];
  assert.deepEqual(readDemoSettings({}, problems), { date: "2026-11-09", tickets: null, days: 42, seed: 7 });
  assert.deepEqual(
    readDemoSettings({ INFLOW_DEMO_TICKETS: "4000", INFLOW_DEMO_DATE: "2026-01-05" }, problems),
    { date: "2026-01-05", tickets: 4000, days: 42, seed: 7 },
  );
  assert.deepEqual(problems, []);
  readDemoSettings(
    {
      INFLOW_DEMO_DATE: "yesterday",
      INFLOW_DEMO_TICKETS: "lots",
      INFLOW_DEMO_DAYS: "7",
      INFLOW_DEMO_SEED: "-1",
    },
    problems,
  );
  assert.deepEqual(problems, [
    'INFLOW_DEMO_DATE must be a date YYYY-MM-DD, got "yesterday"',
    'INFLOW_DEMO_TICKETS must be an integer in [100, 1000000], got "lots"',
    'INFLOW_DEMO_DAYS must be an integer in [36, 3650], got "7"',
    'INFLOW_DEMO_SEED must be an integer in [0, 2147483647], got "-1"',
  ]);
});

test("npm run demo with a bad INFLOW_DEMO_TICKETS stops before its first step: one record, exit 2", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(repoRoot, "scripts/demo.ts")], {
    cwd: repoRoot,
    env: { ...process.env, INFLOW_DEMO_TICKETS: "6k" },
    encoding: "utf8",
  });
  assert.equal(result.status, 2, result.stderr);
  assert.doesNotMatch(result.stderr, /\$ inflow/, "no step ran");
  const record = JSON.parse(result.stderr.trim()) as { msg: string; exitCode: number };
  assert.equal(
    record.msg,
    'Invalid configuration: INFLOW_DEMO_TICKETS must be an integer in [100, 1000000], got "6k"',
  );
});

test("the demos name the CLI as it runs from the folder they ran in: npx inside the checkout, else its bin", async () => {
  const { inflowCommand } = await import("../../scripts/run-step.js");
  assert.equal(inflowCommand(repoRoot), "npx inflow");
  assert.equal(inflowCommand(join(repoRoot, "docs")), "npx inflow");
  // Elsewhere `npx inflow` asked the npm registry for a package of that name.
  assert.equal(inflowCommand("/tmp/somewhere"), `node ${join(repoRoot, "bin", "inflow.js")}`);
});

test("the demos' tables fit a narrow terminal: the widest columns give way, none below 12", async () => {
  const { widthsWithin } = await import("../../scripts/table.js");
  const natural = [4, 50, 20, 9, 7, 63];
  assert.equal(widthsWithin(natural, 200), natural, "a table that fits keeps its widths");
  const narrow = widthsWithin(natural, 73);
  assert.equal(
    narrow.reduce((sum, w) => sum + w, 0),
    73,
  );
  assert.deepEqual(narrow, [4, 17, 18, 9, 7, 18], "the widest columns shrank, the narrow kept theirs");
  assert.deepEqual(widthsWithin([30, 30], 10), [12, 12], "never below 12");
});
