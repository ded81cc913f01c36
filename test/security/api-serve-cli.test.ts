/**
 * The real `inflow serve` (built CLI) against a careless operator and a slow client: a port already
 * taken, or a model source that does not exist (store folder, bucket, model file), is one JSON record
 * naming it (off a terminal; one plain line on one) and exit 2; a SIGTERM while a slow-loris client holds a connection
 * closes it after the drain period and exits 0.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { repoRoot, spawnServe, tempModelFile } from "../harness/api-server.js";
import { stopsWithTest } from "../harness/children.js";
import { freePort } from "../harness/net.js";
import { startS3Server } from "../harness/s3-server.js";

describe("inflow serve (spawned) against careless and slow clients", () => {
  let dir: string;
  let modelPath: string;
  before(async () => {
    ({ dir, modelPath } = await tempModelFile("cli-1"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Runs `serve` and the stream router with `env`: each exits 2 with one JSON record matching `reason`. */
  const failsToStart = (env: Record<string, string>, reason: RegExp) => {
    for (const args of [["serve", "--host", "127.0.0.1", "--port", "0"], ["stream"]]) {
      // Without the check both poll the source for a model forever, until the timeout's SIGTERM stops them (exit 0).
      const result = spawnSync(process.execPath, [join(repoRoot, "bin/inflow.js"), ...args], {
        env: {
          ...process.env,
          INFLOW_STREAM_METRICS_PORT: "0",
          INFLOW_KAFKA_BROKERS: "127.0.0.1:1",
          INFLOW_LOG_LEVEL: "silent",
          ...env,
        },
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(result.status, 2, `${args[0]}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      const record = JSON.parse(result.stderr) as { level: number; msg: string; exitCode: number };
      assert.equal(record.exitCode, 2);
      assert.match(record.msg, reason);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  };

  test("a port already in use: one JSON record off a terminal (even at log level silent), no stack trace, exit 2", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = spawnSync(
        process.execPath,
        [join(repoRoot, "bin/inflow.js"), "serve", "--host", "127.0.0.1", "--port", String(port)],
        {
          env: { ...process.env, INFLOW_MODEL: modelPath, INFLOW_LOG_LEVEL: "silent" },
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      assert.equal(result.status, 2, result.stderr);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      const record = JSON.parse(result.stderr) as { level: number; msg: string; exitCode: number };
      assert.equal(record.level, 60);
      assert.equal(record.exitCode, 2);
      assert.match(record.msg, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    } finally {
      taken.close();
    }
  });

  test("a store folder that does not exist: serve and the stream router exit 2 with one record, as the console does; a local model file needs no store", {
    timeout: 120_000,
  }, async () => {
    const missing = `file://${join(dir, "no-such-store")}`;
    failsToStart(
      { INFLOW_STORE: missing, INFLOW_MODEL: "champion" },
      /store folder .*no-such-store.* does not exist: fix the store URI/,
    );
    const server = await spawnServe({
      INFLOW_MODEL: modelPath,
      INFLOW_STORE: missing,
      INFLOW_MODEL_POLL_SECONDS: "0",
    });
    try {
      const ready = await fetch(`${server.url}/api/health`);
      assert.equal(ready.status, 200);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  test("a model file that does not exist, or a model URI outside the store: serve and the stream router exit 2 with one record naming it", {
    timeout: 120_000,
  }, () => {
    const absent = join(dir, "no-such-model.json");
    failsToStart(
      { INFLOW_STORE: `file://${dir}`, INFLOW_MODEL: absent },
      /model file .*no-such-model\.json does not exist/,
    );
    failsToStart(
      { INFLOW_STORE: `file://${dir}`, INFLOW_MODEL: "s3://another-bucket/model.json" },
      /model URI s3:\/\/another-bucket\/model\.json is not inside the store file:/,
    );
  });

  test("on the real S3 server: a bucket that does not exist exits 2 naming it; an existing bucket with no champion yet serves unready and keeps polling", {
    timeout: 180_000,
  }, async (t) => {
    const s3 = await startS3Server({ persist: false });
    t.after(() => s3.stop());
    failsToStart(
      { ...s3.env, INFLOW_STORE: "s3://no-such-bucket-here/inflow", INFLOW_MODEL: "champion" },
      /bucket "no-such-bucket-here" does not exist at /,
    );
    await s3.createBucket("empty-store");
    const port = await freePort();
    const args = [join(repoRoot, "bin/inflow.js"), "serve", "--host", "127.0.0.1", "--port", String(port)];
    const env = {
      ...process.env,
      ...s3.env,
      INFLOW_STORE: "s3://empty-store/inflow",
      INFLOW_MODEL: "champion",
      INFLOW_MODEL_POLL_SECONDS: "1",
      INFLOW_LOG_LEVEL: "info",
    };
    const child = stopsWithTest(spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] }));
    let log = "";
    child.stderr!.on("data", (chunk) => {
      log += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      // Two failed checks logged (the start's and a poll's) while the process lives and answers.
      const failedChecks = () =>
        log.match(/"msg":"model load failed; keeping the served model"/g)?.length ?? 0;
      const deadline = Date.now() + 60_000;
      while (failedChecks() < 2 && child.exitCode === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(child.exitCode, null, log);
      assert.ok(failedChecks() >= 2, log);
      assert.match(log, /no champion pointer/);
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/health`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/ready`)).status, 503);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });

  test("a quiet server's log shows at once (start and model lines), not only when the buffer fills or at exit", {
    timeout: 60_000,
  }, async () => {
    const server = await spawnServe({ INFLOW_MODEL: modelPath, INFLOW_MODEL_POLL_SECONDS: "0" });
    try {
      // No request is sent: only the periodic flush can bring these lines out while the server runs.
      const shown = () =>
        /"msg":"listening"/.test(server.stderr()) && /"msg":"model loaded"/.test(server.stderr());
      const deadline = Date.now() + 20_000;
      while (!shown() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(shown(), `after 20 s of a running server, its log holds: ${JSON.stringify(server.stderr())}`);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  test("SIGTERM with a slow-loris client connected: the drain closes it and the server exits 0", async () => {
    const server = await spawnServe({
      INFLOW_MODEL: modelPath,
      INFLOW_MODEL_POLL_SECONDS: "0",
      INFLOW_API_DRAIN_SECONDS: "1",
      INFLOW_API_HEADERS_TIMEOUT_SECONDS: "600",
      INFLOW_API_REQUEST_TIMEOUT_SECONDS: "600",
    });
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    socket.on("error", () => {});
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write("POST /api/predict HTTP/1.1\r\nHost: x\r\n");
    const dribbling = setInterval(() => socket.write("X-Slow: 1\r\n"), 200);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0, server.stderr());
      await closed;
      assert.match(server.stderr(), /"result":"closed slow connections"/);
    } finally {
      clearInterval(dribbling);
      socket.destroy();
    }
  });
});
