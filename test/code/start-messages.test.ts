/**
 * How a long-running command (serve, stream, console) reports what ends it: one plain line on a
 * terminal (a real pseudo-terminal from util-linux `script`), one fatal JSON record off it, never a
 * stack trace, and the exit code it was given (`inflow stream` exits 1 on a send the broker did not
 * acknowledge, so its pod restarts; a start that cannot succeed exits 2).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../harness/cli.js";

const module = join(repoRoot, "tasks/start-messages.ts");
const message =
  "routed records not acknowledged by Kafka (Request timed out); stopped without committing them";
const script = `import(${JSON.stringify(module)}).then((m) => m.fail("stream", ${JSON.stringify(message)}, 1));`;
const node = [process.execPath, "--import", "tsx", "-e", script];
const noScript = spawnSync("script", ["--version"]).error
  ? "util-linux `script` is missing (it provides the pseudo-terminal)"
  : false;

describe("fail: the one message a command ends with", () => {
  test("on a terminal: the message as one plain line, exit 1", { skip: noScript }, () => {
    const quoted = node.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
    const result = spawnSync("script", ["-qec", quoted, "/dev/null"], {
      cwd: repoRoot,
      env: onTerminalEnv(),
      encoding: "utf8",
    });
    assert.equal(result.status, 1);
    assert.deepEqual(result.stdout.replaceAll("\r", "").trim().split("\n"), [message]);
  });

  test("off a terminal: one fatal JSON record carrying the exit code, exit 1", () => {
    const result = spawnSync(node[0]!, node.slice(1), {
      cwd: repoRoot,
      env: { ...process.env, INFLOW_LOG_LEVEL: "silent" },
      encoding: "utf8",
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    const record = JSON.parse(lines[0]!) as { level: number; msg: string; exitCode: number };
    assert.equal(record.level, 60);
    assert.equal(record.msg, message);
    assert.equal(record.exitCode, 1);
  });
});

/** The environment without INFLOW_LOG_FORMAT, which could ask for JSON on a terminal too. */
function onTerminalEnv(): NodeJS.ProcessEnv {
  const { INFLOW_LOG_FORMAT: _json, ...env } = process.env;
  return env;
}
