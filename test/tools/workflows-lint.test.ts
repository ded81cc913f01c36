/**
 * GitHub Actions workflows: actionlint (built from the Go module proxy by scripts/setup-tools.sh) on
 * every workflow, then the chain they form: CI runs the project's test entry point, images are built
 * from images/Dockerfile (targets task and api) and tagged with the commit sha, deploy follows a successful images run and
 * runs `inflow deploy` with that sha.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { repoRoot } from "../harness/cli.js";

const actionlint = join(repoRoot, ".tools/bin/actionlint");
const skip = existsSync(actionlint) ? false : "run `bash scripts/setup-tools.sh` first";
const dir = join(repoRoot, ".github/workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, { workflows?: string[]; types?: string[]; paths?: string[] } | null>;
  jobs: Record<string, { steps: Step[]; strategy?: { matrix: Record<string, string[]> } }>;
}

const read = (file: string) => parse(readFileSync(join(dir, file), "utf8")) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

function lint(files: string[]) {
  return spawnSync(actionlint, ["-no-color", ...files], { encoding: "utf8", cwd: repoRoot });
}

describe("GitHub Actions workflows", { skip }, () => {
  test("actionlint finds nothing in any workflow", () => {
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    assert.deepEqual(files.sort(), ["ci.yml", "deploy.yml", "images.yml"]);
    const result = lint(files.map((f) => join(dir, f)));
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  test("actionlint does report a broken workflow (it can fail)", () => {
    const tmp = mkdtempSync(join(tmpdir(), "inflow-actionlint-"));
    try {
      const broken = readFileSync(join(dir, "deploy.yml"), "utf8").replace(
        "github.event.workflow_run.conclusion",
        "github.event.workflow_run.conclusionn",
      );
      writeFileSync(
        join(tmp, "deploy.yml"),
        broken.replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    foo: bar"),
      );
      assert.notEqual(lint([join(tmp, "deploy.yml")]).status, 0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test("CI runs the project's own entry point", () => {
    assert.ok(steps(read("ci.yml")).some((s) => s.run?.includes("bash .ci/run")));
  });

  test("images: both targets of images/Dockerfile, built and pushed with docker/build-push-action, tagged with the commit sha", () => {
    const images = read("images.yml");
    const job = Object.values(images.jobs)[0]!;
    const recipe = readFileSync(join(repoRoot, "images/Dockerfile"), "utf8");
    for (const image of job.strategy!.matrix.image!) {
      assert.match(recipe, new RegExp(`^FROM \\S+ AS ${image}$`, "m"), image);
    }
    assert.deepEqual(job.strategy!.matrix.image!.sort(), ["api", "task"]);
    const build = steps(images).find((s) => s.uses?.startsWith("docker/build-push-action@"));
    assert.ok(build);
    assert.equal(build.with?.push, true as unknown as string);
    assert.match(build.with!.tags!, /:\$\{\{ github\.sha \}\}$/);
    assert.equal(build.with!.file, "images/Dockerfile");
    assert.match(build.with!.target!, /^\$\{\{ matrix\.image \}\}$/);
    assert.ok(images.on.push?.paths?.includes("src/**") && images.on.push.paths.includes("images/**"));
    assert.deepEqual(images.on.repository_dispatch?.types, ["model-promoted"]);
  });

  test("deploy follows a successful images run and rolls the API to that commit's image", () => {
    const deploy = read("deploy.yml");
    assert.deepEqual(deploy.on.workflow_run?.workflows, [read("images.yml").name]);
    const run = steps(deploy).find((s) => s.run?.includes("inflow.js deploy"));
    assert.ok(run, "runs inflow deploy");
    assert.match(run.run!, /--image "\$IMAGE_TAG"/);
    const text = readFileSync(join(dir, "deploy.yml"), "utf8");
    assert.match(text, /IMAGE_TAG: \$\{\{ github\.event\.workflow_run\.head_sha \}\}/);
    assert.match(text, /secrets\.KUBECONFIG/);
    assert.match(text, /conclusion == 'success'/);
  });
});
