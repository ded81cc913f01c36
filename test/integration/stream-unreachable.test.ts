import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { stopsWithTest } from "../harness/children.js";
import { repoRoot } from "../harness/cli.js";
import { freePort } from "../harness/net.js";
import { buildRoutingModel, writeRoutingModel } from "../harness/routing-model-fixture.js";

/** Kubernetes' grace period: SIGTERM must end the member before it, broker or no broker. */
const gracePeriodMs = 30_000;

/**
 * `inflow stream` when no broker answers (a free local port, nothing listening): it says so on
 * stderr while it retries, and SIGTERM during the connect ends it with exit 0 (nothing was read, so
 * nothing to commit). No broker is needed.
 */
describe("inflow stream with the broker unreachable", () => {
  let dir: string;
  let modelPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "inflow-stream-unreachable-"));
    modelPath = join(dir, "model.json");
    await writeRoutingModel(modelPath, buildRoutingModel(), "v1");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const role of ["router", "sink"] as const) {
    // The timeout ends a member that never warns or never exits (the defect this guards against).
    test(`--role ${role}: warns which broker is unreachable, exits 0 on SIGTERM`, {
      timeout: 90_000,
    }, async (t) => {
      const brokers = `127.0.0.1:${await freePort()}`;
      const child = stopsWithTest(
        spawn(process.execPath, [join(repoRoot, "bin/inflow.js"), "stream", "--role", role], {
          env: {
            ...process.env,
            INFLOW_LOG_LEVEL: "info",
            INFLOW_LOG_FORMAT: "json",
            INFLOW_KAFKA_BROKERS: brokers,
            INFLOW_MODEL: modelPath,
            INFLOW_STORE: `file://${dir}/clean`,
            INFLOW_RAW_STORE: `file://${dir}/raw`,
            INFLOW_RUN_STORE: `${dir}/runs`,
            INFLOW_STREAM_METRICS_PORT: "0",
          },
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      t.after(() => child.kill("SIGKILL"));
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const warning = await new Promise<Record<string, unknown>>((resolve, reject) => {
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const line = stderr.split("\n").find((l) => l.includes("broker unreachable"));
          if (line) resolve(JSON.parse(line) as Record<string, unknown>);
        });
        exited.then((code) => reject(new Error(`exited (${code}) before warning:\n${stderr}`)));
      });
      assert.equal(warning.level, 40);
      assert.equal(warning.broker, brokers);
      assert.deepEqual(warning.brokers, [brokers]);

      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<"still running">((resolve) => {
          timer = setTimeout(() => resolve("still running"), gracePeriodMs);
        }),
      ]);
      clearTimeout(timer);
      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(stdout.trim().split("\n").at(-1)!), {
        status: "ok",
        role,
        ...(role === "router"
          ? { routed: 0, deadLetters: 0, commitFailures: 0, replaysSkipped: 0 }
          : { stored: 0, files: 0, alreadyStored: 0, skipped: 0 }),
      });
      assert.match(stderr, /"msg":"signal received/);
    });
  }
});
