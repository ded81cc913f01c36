/** Runs one `inflow` step for a demo: its human summary to the terminal, its JSON summary returned; exits on failure. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";

export type Summary = Record<string, unknown>;

/**
 * The checkout's `bin/inflow.js`, found from this file (run from scripts/ by tsx or from dist/scripts/
 * once built), so a demo runs from any folder and keeps its `.inflow` there.
 */
export const inflowBin = join(packageRoot(import.meta.dirname), "bin", "inflow.js");

/**
 * How a person runs the CLI from `cwd`: `npx inflow` inside the checkout; elsewhere npx would ask the
 * npm registry for a package named inflow (none is this one), so the checkout's bin by its path.
 */
export function inflowCommand(cwd = process.cwd()): string {
  const fromRoot = relative(dirname(dirname(inflowBin)), cwd);
  return fromRoot.startsWith("..") || isAbsolute(fromRoot) ? `node ${inflowBin}` : "npx inflow";
}

function packageRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, "package.json"))) return dir;
  throw new Error(`no package.json above ${from}`);
}

export function runStep(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Summary {
  process.stderr.write(`\n$ inflow ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [inflowBin, ...args], {
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
