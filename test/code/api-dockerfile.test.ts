/**
 * The api target of images/Dockerfile read as a recipe (this tier builds no image;
 * test/integration/images-podman.test.ts does): every COPY source exists and is not excluded from the build context, the runtime stage is production-only
 * and non-root, and the CMD and HEALTHCHECK it runs, run from the repository laid out as in the image,
 * start the server and pass the health check.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  assertCopySourcesExist,
  assertPinnedNodeBases,
  assertProductionRuntime,
  execForm,
  readDockerfile,
  stageEnv,
  targetStage,
} from "../harness/dockerfile.js";
import { freePort } from "../harness/net.js";
import { buildRoutingModel, writeRoutingModel } from "../harness/routing-model-fixture.js";

const root = new URL("../..", import.meta.url).pathname;

const instructions = readDockerfile("images/Dockerfile");
const runtime = targetStage(instructions, "api");

test("bases are pinned to the exact Node release CI runs", () => {
  assertPinnedNodeBases(instructions);
});

test("every COPY from the build context exists and is not excluded by .dockerignore", () => {
  assertCopySourcesExist(instructions);
});

test("the runtime stage installs production dependencies only, without scripts, and runs as non-root", () => {
  assertProductionRuntime(runtime);
  assert.ok(runtime.some((i) => i.op === "HEALTHCHECK"));
});

test("the image's CMD starts the server and its HEALTHCHECK passes", async (t) => {
  if (!existsSync(join(root, "dist/tasks/cli.js"))) {
    t.skip("run `npm run build` first (the image runs the compiled CLI)");
    return;
  }
  const cmd = execForm(runtime.find((i) => i.op === "CMD")!.args);
  const health = execForm(runtime.find((i) => i.op === "HEALTHCHECK")!.args.replace(/^.*?CMD\s+/, ""));
  const env = stageEnv(runtime);
  const dir = await mkdtemp(join(tmpdir(), "inflow-image-test-"));
  const modelPath = join(dir, "model.json");
  await writeRoutingModel(modelPath, buildRoutingModel({ tickets: 150 }));
  const port = String(await freePort());
  const childEnv = {
    ...process.env,
    ...env,
    INFLOW_API_HOST: "127.0.0.1",
    INFLOW_API_PORT: port,
    INFLOW_MODEL: modelPath,
  };
  const child = spawn(cmd[0] === "node" ? process.execPath : cmd[0]!, cmd.slice(1), {
    cwd: root,
    env: childEnv,
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    let healthy = false;
    for (let attempt = 0; attempt < 100 && !healthy; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const check = spawnSync(health[0] === "node" ? process.execPath : health[0]!, health.slice(1), {
        env: childEnv,
        timeout: 3000,
      });
      healthy = check.status === 0;
    }
    assert.ok(healthy, "HEALTHCHECK passes once the CMD is up");
    // Live comes first; ready follows once the model is loaded and the prediction workers have warmed up.
    let ready = 0;
    for (let attempt = 0; attempt < 200 && ready !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 150));
      ready = (await fetch(`http://127.0.0.1:${port}/api/ready`)).status;
    }
    assert.equal(ready, 200);
  } finally {
    child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
});
