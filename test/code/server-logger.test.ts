/**
 * The server's log (serve, console): short lines for a person at a terminal (a real pseudo-terminal
 * from util-linux `script`), as the tasks' logs are; JSON records off it, for the log collector.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../harness/cli.js";

const module = join(repoRoot, "server/logger.ts");
const script = `import(${JSON.stringify(module)}).then((m) => { const log = m.createServerLogger("console"); log.info({ status: 200, route: "/queue" }, "request"); log.flush(); });`;
const node = [process.execPath, "--import", "tsx", "-e", script];
const { INFLOW_LOG_FORMAT: _json, INFLOW_LOG_LEVEL: _level, ...env } = process.env;
const noScript = spawnSync("script", ["--version"]).error
  ? "util-linux `script` is missing (it provides the pseudo-terminal)"
  : false;

describe("the server's log on and off a terminal", () => {
  test("on a terminal: one short line per record, no JSON", { skip: noScript }, () => {
    const quoted = node.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
    const result = spawnSync("script", ["-qec", quoted, "/dev/null"], {
      cwd: repoRoot,
      env,
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stdout);
    assert.match(
      result.stdout.replaceAll("\r", "").trim(),
      /^\d\d:\d\d:\d\d info console: request status=200 route=\/queue$/,
    );
  });

  test("off a terminal: JSON records", () => {
    const result = spawnSync(node[0]!, node.slice(1), { cwd: repoRoot, env, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const record = JSON.parse(result.stderr.trim()) as { msg: string; name: string; status: number };
    assert.deepEqual([record.name, record.msg, record.status], ["console", "request", 200]);
  });
});
