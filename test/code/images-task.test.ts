/**
 * The task target of images/Dockerfile read as a recipe (this tier builds no image;
 * test/integration/images-podman.test.ts does): pinned bases,
 * every COPY source present in the build context, a production-only non-root runtime, the entrypoint
 * run as the image runs it (the compiled CLI, its steps' --help), and everything a step needs at run
 * time (chart font, NLP model) coming from production dependencies, never downloaded; the production
 * build compiles no test/ or bench/ code.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../harness/cli.js";
import {
  assertCopySourcesExist,
  assertPinnedNodeBases,
  assertProductionRuntime,
  execForm,
  readDockerfile,
  stageEnv,
  targetStage,
} from "../harness/dockerfile.js";

const instructions = readDockerfile("images/Dockerfile");
const runtime = targetStage(instructions, "task");
const built = existsSync(join(repoRoot, "dist/tasks/cli.js")) ? false : "run `npm run build` first";
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test("bases are pinned to the exact Node release CI runs, multi-stage", () => {
  assertPinnedNodeBases(instructions);
});

test("every COPY from the build context exists and is not excluded by .dockerignore", () => {
  assertCopySourcesExist(instructions);
});

test("the runtime stage installs production dependencies only, without scripts, and runs as non-root", () => {
  assertProductionRuntime(runtime);
});

test("the entrypoint is the inflow CLI: it runs, and so do a step's --help and the default CMD", {
  skip: built,
}, () => {
  const entrypoint = execForm(runtime.find((i) => i.op === "ENTRYPOINT")!.args);
  const cmd = execForm(runtime.find((i) => i.op === "CMD")!.args);
  assert.deepEqual(entrypoint.slice(0, 2), ["node", "bin/inflow.js"]);
  const env = { ...process.env, ...stageEnv(runtime) };
  const run = (args: string[]) =>
    spawnSync(process.execPath, [...entrypoint.slice(1), ...args], { cwd: repoRoot, env, encoding: "utf8" });
  const help = run(cmd);
  assert.equal(help.status, 0, help.stderr);
  for (const command of ["tickets", "activity", "serve", "deploy"])
    assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
  const step = run(["tickets", "preprocess", "--help"]);
  assert.equal(step.status, 0, step.stderr);
  assert.match(step.stdout, /--shards/);
  const bad = run(["tickets", "preprocess", "--date", "2026-02-30"]);
  assert.equal(bad.status, 2, "bad input exits 2 inside the image too");
});

test("every package the compiled code imports is a production dependency (the image omits dev ones)", {
  skip: built,
}, () => {
  const imported = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) {
        const code = readFileSync(path, "utf8");
        const statics = code.matchAll(/^\s*(?:import|export)\s[^;"']*?from\s*["']([^"'.][^"']*)["']/gm);
        const dynamics = code.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g);
        for (const [, spec] of [...statics, ...dynamics]) {
          const name = spec!.startsWith("@") ? spec!.split("/").slice(0, 2).join("/") : spec!.split("/")[0]!;
          if (!name.startsWith("node:") && !builtinModules.includes(name)) imported.add(name);
        }
      }
    }
  };
  for (const dir of ["src", "tasks", "server", "mlflow", "clearml", "stores"])
    walk(join(repoRoot, "dist", dir));
  assert.ok(imported.size > 5);
  for (const name of imported) assert.ok(pkg.dependencies[name], `${name} is in dependencies`);
  // What a step loads from disk at run time, shipped as packages: the chart font and the NLP model.
  for (const name of ["dejavu-fonts-ttf", "wink-eng-lite-web-model", "@napi-rs/canvas"]) {
    assert.ok(pkg.dependencies[name], `${name} is a production dependency`);
  }
});

test("the production build compiles no test/ or bench/ code (nothing it builds imports them)", () => {
  const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
  const listed = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--listFilesOnly"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  assert.equal(listed.status, 0, listed.stdout);
  const files = listed.stdout
    .split("\n")
    .filter((file) => file.startsWith(repoRoot) && !file.includes("/node_modules/"));
  assert.ok(
    files.some((file) => file.endsWith("/tasks/cli.ts")),
    "the CLI is built",
  );
  const outside = files.filter((file) => /^(test|bench)\//.test(file.slice(repoRoot.length + 1)));
  assert.deepEqual(outside, []);
});
