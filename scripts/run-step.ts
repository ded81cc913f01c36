/** Runs one `inflow` step for a demo: its human summary to the terminal, its JSON summary returned; exits on failure. */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export type Summary = Record<string, unknown>;

export function runStep(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Summary {
  process.stderr.write(`\n$ inflow ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [resolve("bin/inflow.js"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...env, INFLOW_LOG_LEVEL: env.INFLOW_LOG_LEVEL ?? "warn" },
  });
  const lines = result.stdout.trim().split("\n");
  const summary = JSON.parse(lines.at(-1) || "{}") as Summary;
  if (result.status !== 0) {
    process.stderr.write(`step failed (exit ${result.status}): ${String(summary.error)}\n`);
    process.exit(result.status ?? 1);
  }
  return summary;
}
