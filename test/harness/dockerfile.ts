/**
 * Dockerfile recipes read as data, for the tier that cannot build images (test/integration/images-podman
 * builds them): instructions per stage, COPY sources against the build context and .dockerignore,
 * exec-form commands to run from the repository laid out as in the image.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./cli.js";

export interface Instruction {
  op: string;
  args: string;
  /** 0-based index of the FROM this instruction belongs to; -1 for global ARGs before the first FROM. */
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

/** A FROM's base image and stage name, with global ARG defaults substituted (`FROM ${NODE_IMAGE} AS build`). */
function fromOf(instructions: Instruction[], from: Instruction): { base: string; name?: string } {
  const args = new Map(
    instructions
      .filter((i) => i.op === "ARG" && i.stage === -1)
      .map((i) => i.args.split("=", 2) as [string, string]),
  );
  const [base, as, name] = from.args.split(/\s+/);
  const resolved = base!.replace(/\$\{(\w+)\}/g, (_, key: string) => args.get(key) ?? "");
  return as?.toUpperCase() === "AS" ? { base: resolved, name: name! } : { base: resolved };
}

/** The instructions a target runs: its stage after the stages it is built FROM, in order. */
export function targetStage(instructions: Instruction[], target: string): Instruction[] {
  const froms = instructions.filter((i) => i.op === "FROM");
  const chain: number[] = [];
  for (let name: string | undefined = target; name !== undefined; ) {
    const stage = froms.findIndex((f) => fromOf(instructions, f).name === name);
    assert.ok(stage >= 0, `stage ${name} exists`);
    chain.unshift(stage);
    const base = fromOf(instructions, froms[stage]!).base;
    name = froms.some((f) => fromOf(instructions, f).name === base) ? base : undefined;
  }
  return chain.flatMap((stage) => instructions.filter((i) => i.stage === stage));
}

export function dockerIgnored(): string[] {
  return readFileSync(join(repoRoot, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * Asserts the recipe is multi-stage and every external base is pinned to the exact Node release this
 * machine (and CI) runs (optionally by digest); stages built FROM an earlier stage inherit it.
 */
export function assertPinnedNodeBases(instructions: Instruction[]): void {
  const froms = instructions.filter((i) => i.op === "FROM").map((f) => fromOf(instructions, f));
  assert.ok(froms.length >= 2, "multi-stage");
  const stages = new Set(froms.map((f) => f.name));
  const version = process.versions.node.replaceAll(".", "\\.");
  const pinned = new RegExp(`^(docker\\.io/library/)?node:${version}(-[\\w-]+)?(@sha256:[0-9a-f]{64})?$`);
  for (const { base } of froms) if (!stages.has(base)) assert.match(base, pinned);
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
