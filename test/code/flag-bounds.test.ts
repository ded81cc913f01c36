/**
 * Every number flag of every command has its range in one table (tasks/flag-bounds.ts), checked by the
 * CLI before anything runs: a value outside it is a usage error (exit 2), never a step that starts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Argv } from "yargs";
import { activityCommands } from "../../tasks/activity/index.js";
import { consoleCommand } from "../../tasks/console.js";
import { deployCommand } from "../../tasks/deploy.js";
import { boundsProblem, numberFlagBounds } from "../../tasks/flag-bounds.js";
import { serveCommand } from "../../tasks/serve.js";
import { streamCommand } from "../../tasks/stream.js";
import { ticketCommands } from "../../tasks/tickets/index.js";
import { repoRoot } from "../harness/cli.js";

/** The number flags a command declares (its subcommands' too), by building it on a recording stand-in for yargs. */
/** What the walk needs of a command module, whatever its arguments' type. */
interface Command {
  command?: unknown;
  builder?: unknown;
}

function numberFlags(command: Command, path: string, found: Map<string, string[]>): void {
  const recorder: Argv = new Proxy({} as Argv, {
    get: (_, method) => {
      if (method === "option" || method === "options")
        return (name: string, spec: { type?: string }) => {
          if (spec?.type === "number") found.set(name, [...(found.get(name) ?? []), path]);
          return recorder;
        };
      if (method === "command")
        return (sub: Command) => {
          numberFlags(sub, `${path} ${String(sub.command).split(" ")[0]}`, found);
          return recorder;
        };
      return () => recorder;
    },
  });
  if (typeof command.builder === "function") (command.builder as (argv: Argv) => unknown)(recorder);
}

const commands: Command[] = [
  ...ticketCommands,
  ...activityCommands,
  serveCommand,
  consoleCommand,
  deployCommand,
  streamCommand,
];

test("every number flag of every command has its range in the one table, and the table names no other flag", () => {
  const found = new Map<string, string[]>();
  for (const command of commands) numberFlags(command, String(command.command).split(" ")[0]!, found);
  assert.ok(found.size >= 40, `the recorder saw the flags (${found.size})`);
  const unbounded = [...found].filter(([flag]) => !(flag in numberFlagBounds));
  assert.deepEqual(unbounded, [], "number flags without a range");
  const unused = Object.keys(numberFlagBounds).filter((flag) => !found.has(flag));
  assert.deepEqual(unused, [], "ranges of flags no command has");
});

test("flag bounds: the first flag outside its range named with the range; unset flags pass", () => {
  const bounds = { "max-iter": { whole: true, atLeast: 1 }, "test-share": { above: 0, below: 1 } };
  assert.equal(boundsProblem({ "max-iter": 200 }, bounds), undefined);
  assert.equal(boundsProblem({ "max-iter": 2.5 }, bounds), "--max-iter must be a whole number ≥ 1, got 2.5");
  assert.equal(
    boundsProblem({ "test-share": 7 }, bounds),
    "--test-share must be a number > 0 and < 1, got 7",
  );
  assert.equal(
    boundsProblem({ "test-share": Number.POSITIVE_INFINITY }, bounds),
    "--test-share must be a number > 0 and < 1, got Infinity",
  );
});

test("the table refuses what used to start a step: negative seeds and tolerances, port -1, zero workers", () => {
  const problem = (flags: Record<string, unknown>) => boundsProblem(flags, numberFlagBounds);
  assert.equal(problem({ seed: 40, tol: 1e-4, "max-iter": 300, port: 0, workers: 2 }), undefined);
  assert.equal(problem({ tol: -1 }), "--tol must be a number > 0, got -1");
  assert.equal(problem({ seed: -1 }), "--seed must be a whole number ≥ 0 and ≤ 4294967295, got -1");
  assert.match(String(problem({ seed: 2 ** 32 })), /^--seed must be .* got 4294967296$/);
  assert.equal(problem({ port: -1 }), "--port must be a whole number ≥ 0 and ≤ 65535, got -1");
  assert.equal(problem({ workers: 0 }), "--workers must be a whole number ≥ 1, got 0");
  assert.equal(problem({ k: 0 }), "-k must be a whole number ≥ 1, got 0");
  assert.equal(problem({ "k-min": 0 }), "--k-min must be a whole number ≥ 1, got 0");
  assert.equal(problem({ sample: 0 }), undefined, "--sample 0: fit on every ticket");
  assert.equal(problem({ "match-threshold": -1 }), "--match-threshold must be a number ≥ 0 and ≤ 1, got -1");
});

const cli = join(repoRoot, "bin/inflow.js");
const built = existsSync(join(repoRoot, "dist/tasks/cli.js"));

test("the CLI refuses a flag out of range before the step starts: exit 2, one line, no tracked run", {
  skip: built ? false : "run `npm run build` first",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "inflow-bounds-"));
  try {
    for (const args of [
      ["tickets", "relabel", "--date", "2026-11-09", "--seed", "-1"],
      ["tickets", "relabel", "--date", "2026-11-09", "--tol", "-1"],
      ["tickets", "generate", "--date", "2026-11-09", "--seed", "-1"],
      ["tickets", "preprocess", "--date", "2026-11-09", "--shard", "2", "--shards", "2"],
      ["serve", "--port", "-1"],
    ]) {
      const result = spawnSync(process.execPath, [cli, ...args], {
        cwd: dir,
        env: { ...process.env, INFLOW_LOG_LEVEL: "info" },
        encoding: "utf8",
      });
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(JSON.parse(lines[0]!).msg, /^--(seed|tol|shard|port) must be /);
      assert.ok(!existsSync(join(dir, ".inflow")) || readdirSync(join(dir, ".inflow")).length === 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
