/**
 * The CLI speaks to whoever reads it: on a terminal (a real pseudo-terminal from util-linux `script`),
 * a failed step is one readable line saying what to do and logs are short lines; off a terminal (a
 * pod, a pipe) logs stay JSON with the error's stack; `--help` lists common and step options apart.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createWorkspace, repoRoot, type Workspace } from "../harness/cli.js";

const cli = join(repoRoot, "bin/inflow.js");
const skip = !existsSync(join(repoRoot, "dist/tasks/cli.js"))
  ? "run `npm run build` first"
  : spawnSync("script", ["--version"]).error
    ? "util-linux `script` is missing (it provides the pseudo-terminal)"
    : false;

describe("the CLI on and off a terminal", { skip }, () => {
  let ws: Workspace;
  before(async () => {
    ws = await createWorkspace({ INFLOW_LOG_LEVEL: "info" });
  });
  after(() => ws.dispose());

  const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
  /** Runs the CLI with a pseudo-terminal as stdin, stdout and stderr (merged, as a person sees them). */
  const onTerminal = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const command = [process.execPath, cli, ...args].map(quote).join(" ");
    const result = spawnSync("script", ["-qec", command, "/dev/null"], {
      cwd: ws.dir,
      env: { ...ws.env, ...env },
      encoding: "utf8",
    });
    return { status: result.status, lines: result.stdout.replaceAll("\r", "").trim().split("\n") };
  };

  test("a failed step is one readable line with what to do, then the JSON summary; no stack trace", () => {
    const { status, lines } = onTerminal(["tickets", "label", "--date", "2025-01-01"]);
    assert.equal(status, 2);
    const failed = lines.filter((line) => line.startsWith("inflow tickets label failed: "));
    assert.equal(failed.length, 1, lines.join("\n"));
    assert.match(failed[0]!, /no topic model published on or before 2025-01-01: run `inflow tickets relabel/);
    assert.match(failed[0]!, / — fix the input or configuration and rerun \(`inflow tickets label --help`/);
    assert.match(
      lines[0]!,
      /^\d\d:\d\d:\d\d info tickets\.label: task started date=2025-01-01 /,
      "logs are short lines",
    );
    assert.ok(!lines.some((line) => /^\s+at |"level":|"stack"/.test(line)), lines.join("\n"));
    assert.equal(JSON.parse(lines.at(-1)!).status, "error", "the summary stays the last stdout line");
  });

  test("a subcommand's failure line names it as typed, and its --help there works", () => {
    const { status, lines } = onTerminal([
      "tickets",
      "topics",
      "reject",
      "new-1",
      "--date",
      "2025-01-01",
      "--reason",
      "x",
    ]);
    assert.equal(status, 2);
    const failed = lines.find((line) => line.startsWith("inflow tickets topics reject failed: "));
    assert.ok(failed, lines.join("\n"));
    const help = /\(`(inflow tickets topics reject) --help` lists the options\)/.exec(failed);
    assert.ok(help, failed);
    const shown = onTerminal([...help[1]!.split(" ").slice(1), "--help"]);
    assert.equal(shown.status, 0, shown.lines.join("\n"));
    assert.match(shown.lines.join("\n"), /--reason/);
  });

  test("off a terminal, logs stay JSON lines and the failure carries its stack for the log collector", () => {
    const result = spawnSync(process.execPath, [cli, "tickets", "label", "--date", "2025-01-01"], {
      cwd: ws.dir,
      env: ws.env,
      encoding: "utf8",
    });
    assert.equal(result.status, 2);
    const records = result.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const failed = records.find((r) => r.msg === "task failed") as {
      err: { stack: string };
      exitCode: number;
    };
    assert.equal(failed.exitCode, 2);
    assert.match(failed.err.stack, /^InputError: no topic model/);
    assert.doesNotMatch(result.stderr, /inflow tickets label failed/);
  });

  test("INFLOW_LOG_FORMAT=json keeps JSON logs on a terminal", () => {
    const { lines } = onTerminal(["tickets", "label", "--date", "2025-01-01"], { INFLOW_LOG_FORMAT: "json" });
    assert.ok(
      lines.some((line) => line.includes('"msg":"task failed"')),
      lines.join("\n"),
    );
  });

  test("--help lists the common options and the step's own options under their own headings", () => {
    const { status, lines } = onTerminal(["tickets", "preprocess", "--help"]);
    assert.equal(status, 0);
    const common = lines.indexOf("Common options:");
    const step = lines.indexOf("Step options:");
    assert.ok(common >= 0 && step > common, lines.join("\n"));
    const section = (from: number, to: number) => lines.slice(from, to).join("\n");
    for (const option of ["--date", "--run-id", "--store", "--raw-store", "--tracking", "--help"])
      assert.match(section(common, step), new RegExp(`${option}\\b`));
    for (const option of ["--shards", "--keep-pos", "--workers"])
      assert.match(section(step, lines.length), new RegExp(option));
    assert.doesNotMatch(section(step, lines.length), /^\s+--date\b/m, "common options are not repeated");
    // The defaults a user gets without the flag or its variable are named (yargs wraps long lines).
    const flat = section(common, step).replace(/\s+/g, " ");
    for (const shown of [
      "env INFLOW_STORE, default file://./.inflow/customer-sup-tickets-clean",
      "env INFLOW_RAW_STORE, default file://./.inflow/customer-sup-tickets-raw",
      "env INFLOW_TRACKING, default local",
    ])
      assert.ok(flat.includes(shown), `${shown} in ${flat}`);
  });

  /** Runs the CLI off a terminal (a pipe, a pod); its stderr must be JSON records. */
  const offTerminal = (args: readonly string[]) => {
    const result = spawnSync(process.execPath, [cli, ...args], {
      cwd: ws.dir,
      env: ws.env,
      encoding: "utf8",
    });
    const records = result.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { level: number; msg: string; exitCode: number });
    return { status: result.status, records, stderr: result.stderr };
  };

  test("the top-level help's usage names the long-running commands too, which take no --date", () => {
    const { status, lines } = onTerminal(["--help"]);
    assert.equal(status, 0);
    assert.deepEqual(lines.slice(0, 2), [
      "inflow <pipeline> <step> --date YYYY-MM-DD [options]",
      "inflow serve | console | stream | deploy [options]",
    ]);
  });

  test("a mistyped command is named with the nearest one, not reported as unknown arguments", () => {
    for (const [args, typo, nearest, parent] of [
      [["tickets", "trian", "--date", "2025-01-01"], "trian", "train", "inflow tickets"],
      [["tickts"], "tickts", "tickets", "inflow"],
    ] as const) {
      const { status, records } = offTerminal(args);
      assert.equal(status, 2);
      assert.deepEqual(
        records.map((r) => [r.level, r.msg, r.exitCode]),
        [[60, `Unknown command "${typo}". Did you mean ${nearest}? (\`${parent} --help\` lists them)`, 2]],
        "one fatal record, not the whole help",
      );
    }
  });

  test("a usage error is one line on a terminal naming where the options are, not the whole help", () => {
    for (const [args, said] of [
      [["tickets", "train"], "Missing required argument: date (see `inflow tickets train --help`)"],
      [
        ["tickets", "train", "--date", "2025-01-01", "--class-weight", "foo"],
        'Invalid values: Argument: class-weight, Given: "foo", Choices: "balanced", "none" (see `inflow tickets train --help`)',
      ],
      [
        ["tickets", "preprocess", "--date", "2025-01-01", "--bogus", "1"],
        "Unknown argument: bogus (see `inflow tickets preprocess --help`)",
      ],
    ] as const) {
      const { status, lines } = onTerminal([...args]);
      assert.equal(status, 2);
      assert.deepEqual(lines, [said]);
    }
  });

  test("a bad flag value is refused before the step starts: the flag named, exit 2 (never a retry)", () => {
    for (const [args, said] of [
      [["tickets", "relabel", "--idf-power", "0"], "--idf-power must be a number > 0, got 0"],
      [
        ["tickets", "train", "--min-df", "0"],
        "--min-df must be a share in (0, 1] or a document count, got 0",
      ],
      [["tickets", "taxonomy"], "give exactly one of --export or --publish"],
      // NaN passed every bound before: the step ran with its check off.
      [
        ["tickets", "preprocess", "--max-reject-share", "abc"],
        '--max-reject-share must be a number, got "abc"',
      ],
      [["tickets", "relabel", "-k=x"], '-k must be a number, got "x"'],
      // Each exited 1 (retryable) from deep in the step, or was accepted.
      [["tickets", "train", "--test-share", "7"], "--test-share must be a number > 0 and < 1, got 7"],
      [["tickets", "relabel", "--seed", "-1"], "--seed must be a whole number ≥ 0 and ≤ 4294967295, got -1"],
      [["tickets", "relabel", "--tol", "-1"], "--tol must be a number > 0, got -1"],
      [["tickets", "evaluate", "--resamples", "-1"], "--resamples must be a whole number ≥ 1, got -1"],
      [
        ["tickets", "label", "--novelty-min-size", "-1"],
        "--novelty-min-size must be a whole number ≥ 1, got -1",
      ],
      [["tickets", "generate", "--garbage-rate", "2"], "--garbage-rate must be a number ≥ 0 and ≤ 1, got 2"],
      // The k search never reached the end of its grid from a k-min of 0 or below.
      [["tickets", "relabel", "--k-min", "-1"], "--k-min must be a whole number ≥ 1, got -1"],
      [
        ["tickets", "relabel", "--k-min", "16", "--k-max", "8"],
        "--k-max 8 is below --k-min 16: the search would have no k to try",
      ],
    ] as const) {
      const { status, records, stderr } = offTerminal([...args, "--date", "2025-01-01"]);
      assert.equal(status, 2, stderr);
      assert.deepEqual(
        records.map((r) => r.msg),
        [`${said} (see \`inflow ${args.slice(0, 2).join(" ")} --help\`)`],
      );
      assert.doesNotMatch(stderr, /task started|\n\s+at /);
    }
  });
});
