/**
 * Both targets of images/Dockerfile, built with podman and run as production runs them: the task image
 * runs the tickets pipeline's steps on a mounted store, one container per step as Airflow's pods do;
 * the api image serves the model those steps promoted, as a non-root user on a read-only root
 * filesystem with the store mounted read-only. Skipped, saying why, only where podman cannot run.
 */
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sampleCorpusOptions } from "../harness/cli.js";
import { freePort } from "../harness/net.js";
import { buildTarget, podman, podmanUnavailable } from "../harness/podman.js";

const unavailable = podmanUnavailable();
const taskImage = "localhost/inflow-task:test";
const apiImage = "localhost/inflow-api:test";
const date = "2026-03-09";

describe("images built with podman", { skip: unavailable }, () => {
  let store: string;

  before(async () => {
    store = await mkdtemp(join(tmpdir(), "inflow-image-store-"));
    await chmod(store, 0o777); // written by the image's `node` user
  });
  after(() => rm(store, { recursive: true, force: true }));

  /** One step in a fresh task container, as a KubernetesPodOperator pod runs it; its JSON summary. */
  async function step(...args: string[]): Promise<Record<string, unknown>> {
    const stdout = await podman(
      "run",
      "--rm",
      "--network=none",
      "-v",
      `${store}:/app/.inflow`,
      taskImage,
      ...args,
    );
    return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  }

  test("the task image runs generate → preprocess → relabel → train → evaluate on a mounted store", async (t) => {
    const started = Date.now();
    await buildTarget("task", taskImage);
    t.diagnostic(`task target built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const shipped = await podman(
      "run",
      "--rm",
      "--entrypoint",
      "node",
      taskImage,
      "-e",
      'const fs = require("node:fs"); console.log(JSON.stringify(["bench", "test", "dist/bench", "dist/test", "src"].filter((p) => fs.existsSync(p))))',
    );
    assert.deepEqual(JSON.parse(shipped), [], "the image carries compiled code only, no bench/ or test/");

    const ran = Date.now();
    const truth = "/app/.inflow/truth.jsonl";
    const generated = await step("tickets", "generate", ...sampleCorpusOptions(date, truth));
    assert.equal(generated.partitions, 7);
    const preprocessed = await step("tickets", "preprocess", "--date", date);
    assert.equal(Number(preprocessed.tickets) + Number(preprocessed.rejected), 1500);
    const relabelled = await step("tickets", "relabel", "--date", date, "--k", "5");
    assert.equal((relabelled.topics as unknown[]).length, 5);
    const trained = await step("tickets", "train", "--date", date);
    assert.ok(Number(trained.testAccuracy) > 0.8, `held-out accuracy ${trained.testAccuracy}`);
    const evaluated = await step(
      "tickets",
      "evaluate",
      "--date",
      date,
      "--truth",
      truth,
      "--resamples",
      "200",
    );
    assert.equal(evaluated.promote, true, "the first model is promoted to champion");
    t.diagnostic(`five steps ran in ${((Date.now() - ran) / 1000).toFixed(0)} s`);
  });

  test("the api image serves the champion as non-root on a read-only root filesystem", async (t) => {
    const started = Date.now();
    await buildTarget("api", apiImage);
    t.diagnostic(`api target built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const port = await freePort();
    const id = (
      await podman(
        "run",
        "--detach",
        "--read-only",
        "--network=host",
        "--env",
        `INFLOW_API_PORT=${port}`,
        "-v",
        `${store}:/app/.inflow:ro`,
        apiImage,
      )
    ).trim();
    t.after(() => podman("rm", "--force", "--time", "5", id));
    const url = `http://127.0.0.1:${port}`;
    let ready: Response | undefined;
    for (let attempt = 0; attempt < 240 && ready?.status !== 200; attempt++) {
      ready = await fetch(`${url}/api/ready`).catch(() => undefined);
      if (ready?.status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal(
        (await podman("inspect", "--format", "{{.State.Running}}", id)).trim(),
        "true",
        "the server stays up",
      );
    }
    assert.equal(ready?.status, 200, await podman("logs", id));

    const response = await fetch(`${url}/api/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ id: "a", text: "I was charged twice for my card payment, please refund" }]),
    });
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: { id: string; department: string }[] };
    assert.equal(predictions[0]!.id, "a");
    assert.ok(predictions[0]!.department, JSON.stringify(predictions[0]));

    assert.notEqual((await podman("exec", id, "id", "-u")).trim(), "0", "runs as a non-root user");
    await assert.rejects(podman("exec", id, "touch", "/app/written"), "the root filesystem is read-only");
  });
});

if (unavailable) test(`images built with podman: skipped, ${unavailable}`, { skip: unavailable }, () => {});
