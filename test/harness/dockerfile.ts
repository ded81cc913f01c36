/**
 * Dockerfile recipes read as data, for tests that check an image they cannot build (no Docker engine
 * here): instructions per stage, COPY sources against the build context and .dockerignore, exec-form
 * commands to run from the repository laid out as in the image.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

export interface Instruction {
  op: string;
  args: string;
  /** 0-based index of the FROM this instruction belongs to. */
  stage: number;
}

/** Logical instructions (continuations joined, comments dropped), each tagged with its stage. */
export function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  let stage = -1;
  return logical.map((line) => {
    const [op, ...rest] = line.split(/\s+/);
    if (op!.toUpperCase() === "FROM") stage++;
    return { op: op!.toUpperCase(), args: rest.join(" "), stage };
  });
}

export function readDockerfile(relativePath: string): Instruction[] {
  return parseDockerfile(readFileSync(join(repoRoot, relativePath), "utf8"));
}

/** The instructions of the last stage: what the image runs. */
export function runtimeStage(instructions: Instruction[]): Instruction[] {
  const last = Math.max(...instructions.map((i) => i.stage));
  return instructions.filter((i) => i.stage === last);
}

export function dockerIgnored(): string[] {
  return readFileSync(join(repoRoot, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Asserts the recipe is multi-stage and every base is pinned to an exact Node 20 release (optionally by digest). */
export function assertPinnedNode20Bases(instructions: Instruction[]): void {
  const bases = instructions.filter((i) => i.op === "FROM").map((i) => i.args.split(/\s+/)[0]!);
  assert.ok(bases.length >= 2, "multi-stage");
  for (const base of bases) assert.match(base, /^node:20\.\d+\.\d+(-[\w-]+)?(@sha256:[0-9a-f]{64})?$/);
}

/**
 * Asserts the runtime stage installs the lockfile's production dependencies only (no install scripts,
 * nothing else fetched), runs as a non-root user, and takes the compiled output from the build stage.
 */
export function assertProductionRuntime(runtime: Instruction[]): void {
  const runs = runtime.filter((i) => i.op === "RUN").map((i) => i.args);
  assert.ok(runs.some((r) => /npm ci\b.*--omit=dev/.test(r) && /--ignore-scripts/.test(r)));
  assert.ok(
    !runs.some((r) => /npm (install|i)\b|apt-get|curl|wget/.test(r)),
    "nothing fetched but the lockfile's packages",
  );
  const user = runtime.filter((i) => i.op === "USER").at(-1);
  assert.ok(user && !/^(root|0)$/.test(user.args), "USER is not root");
  assert.ok(
    runtime.some((i) => i.op === "COPY" && /--from=build/.test(i.args) && /\bdist\b/.test(i.args)),
    "compiled output comes from the build stage",
  );
}

/** Asserts every COPY from the build context exists and is not excluded by .dockerignore. */
export function assertCopySourcesExist(instructions: Instruction[]): void {
  const ignored = dockerIgnored();
  const copies = instructions.filter((i) => i.op === "COPY" && !i.args.includes("--from="));
  assert.ok(copies.length > 0, "the recipe copies something from the build context");
  for (const copy of copies) {
    const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith("--"));
    for (const source of parts.slice(0, -1)) {
      assert.ok(existsSync(join(repoRoot, source)), `COPY source ${source} exists`);
      assert.ok(
        !ignored.includes(source.replace(/\/$/, "")),
        `COPY source ${source} is not in .dockerignore`,
      );
    }
  }
}

/** An exec-form (JSON array) argument, e.g. of CMD, ENTRYPOINT or HEALTHCHECK CMD. */
export function execForm(text: string): string[] {
  const value = JSON.parse(text) as unknown;
  assert.ok(Array.isArray(value) && value.every((v) => typeof v === "string"), `exec form: ${text}`);
  return value as string[];
}

/** ENV instructions of a stage as one record (KEY=value form). */
export function stageEnv(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((i) => i.op === "ENV")) {
    for (const [, key, value] of i.args.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  }
  return env;
}
