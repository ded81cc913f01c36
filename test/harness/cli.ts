import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Runs the built `inflow` CLI (dist/, built by the test command before tests start) like a user or a pod would. */
export interface CliResult {
  status: number;
  summary: Record<string, unknown>;
  stdout: string;
  stderr: string;
}

export const repoRoot = resolve(import.meta.dirname, "../..");

export interface Workspace {
  dir: string;
  store: string;
  rawStore: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): CliResult;
  dispose(): Promise<void>;
}

/** A temp folder with its own raw store, derived store and local run store. */
export async function createWorkspace(extraEnv: NodeJS.ProcessEnv = {}): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-cli-"));
  const store = `file://${dir}/clean`;
  const rawStore = `file://${dir}/raw`;
  const env = {
    ...process.env,
    INFLOW_STORE: store,
    INFLOW_RAW_STORE: rawStore,
    INFLOW_RUN_STORE: `${dir}/runs`,
    INFLOW_LOG_LEVEL: "warn",
    ...extraEnv,
  };
  return {
    dir,
    store,
    rawStore,
    env,
    run: (...args) => runCli(args, env, dir),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): CliResult {
  const result = spawnSync(process.execPath, [join(repoRoot, "bin/inflow.js"), ...args], {
    env,
    cwd,
    encoding: "utf8",
    timeout: 300_000,
  });
  return cliResult(result.status ?? -1, result.stdout, result.stderr);
}

/**
 * Same, without blocking the event loop: for tests whose doubles or kill triggers answer the CLI from
 * this process. Killed after the same 300 s as runCli.
 */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin/inflow.js"), ...args], { env, cwd });
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done(cliResult(code ?? -1, stdout, stderr));
    });
  });
}

function cliResult(status: number, stdout: string, stderr: string): CliResult {
  const last = stdout.trim().split("\n").at(-1) ?? "";
  let summary: Record<string, unknown> = {};
  try {
    summary = JSON.parse(last) as Record<string, unknown>;
  } catch {
    // --help and usage errors print text, not a summary.
  }
  return { status, summary, stdout, stderr };
}

/**
 * `tickets generate` options for the pipeline tests' sample corpus: 1500 tickets over the 7 days
 * before `date`, seed 3, ground truth written to `truthOut`.
 */
export function sampleCorpusOptions(date: string, truthOut: string): string[] {
  return ["--date", date, "--count", "1500", "--days", "7", "--seed", "3", "--truth-out", truthOut];
}
