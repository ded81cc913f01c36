/**
 * Starts the classify API for tests: in-process on 127.0.0.1 with a random port (the real app,
 * holder and metrics, on a model file in a temp dir), or as the real CLI (`node bin/inflow.js serve`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { buildApp } from "../../server/app.js";
import { type ServerConfig, serverDefaults } from "../../server/config.js";
import type { ApiInstance } from "../../server/instance.js";
import { ApiMetrics } from "../../server/metrics.js";
import { ModelHolder } from "../../server/model/holder.js";
import { startPredictionPool } from "../../server/model/prediction-pool.js";
import { createModelSource } from "../../server/model/source.js";
import type { ApiState } from "../../server/state.js";
import type { WebhookConfig } from "../../server/webhooks/config.js";
import type { RoutingModel } from "../../src/classify/model.js";
import { FileStore } from "../../src/store/file-store.js";
import { stopsWithTest } from "./children.js";
import { freePort } from "./net.js";
import { buildRoutingModel, writeRoutingModel } from "./routing-model-fixture.js";

export const repoRoot = new URL("../..", import.meta.url).pathname;

let cachedModel: RoutingModel | undefined;

/** The fixture model, trained once per test process. */
export function testModel(): RoutingModel {
  cachedModel ??= buildRoutingModel();
  return cachedModel;
}

export interface TestApi {
  url: string;
  app: ApiInstance;
  holder: ModelHolder;
  metrics: ApiMetrics;
  state: ApiState;
  dir: string;
  modelPath: string;
  close(): Promise<void>;
}

export type TestApiOptions = Partial<
  Pick<
    ServerConfig,
    | "apiToken"
    | "bodyLimitBytes"
    | "maxBatch"
    | "maxTextChars"
    | "maxTokenChars"
    | "longText"
    | "headersTimeoutSeconds"
    | "requestTimeoutSeconds"
    | "keepAliveTimeoutSeconds"
    | "idleTimeoutSeconds"
    | "metricsPort"
    | "workers"
  >
> & {
  /** Write the model file before start (default true); false starts with nothing to load. */
  withModel?: boolean;
  webhooks?: WebhookConfig;
};

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-api-test-"));
  const modelPath = join(dir, "model.json");
  if (options.withModel !== false) await writeRoutingModel(modelPath, testModel(), "v1");
  const log = pino({ level: "silent" });
  const metrics = new ApiMetrics(false);
  const store = new FileStore(`file://${dir}/store`);
  const limits = {
    maxTextChars: options.maxTextChars ?? serverDefaults.maxTextChars,
    maxTokenChars: options.maxTokenChars ?? serverDefaults.maxTokenChars,
  };
  // No worker pool unless asked for: most tests need none, and each worker loads its own wink model.
  const pool = options.workers ? startPredictionPool(options.workers, log) : null;
  const holder = new ModelHolder(
    createModelSource(modelPath, store),
    metrics,
    log,
    serverDefaults.explainTerms,
    serverDefaults.preprocess,
    limits,
    pool,
  );
  const state: ApiState = { holder, shuttingDown: false };
  const app = await buildApp({
    config: {
      apiToken: options.apiToken ?? null,
      bodyLimitBytes: options.bodyLimitBytes ?? serverDefaults.bodyLimitBytes,
      maxBatch: options.maxBatch ?? serverDefaults.maxBatch,
      maxTextChars: limits.maxTextChars,
      longText: options.longText ?? serverDefaults.longText,
      accessLog: true,
      headersTimeoutSeconds: options.headersTimeoutSeconds,
      requestTimeoutSeconds: options.requestTimeoutSeconds,
      keepAliveTimeoutSeconds: options.keepAliveTimeoutSeconds,
      idleTimeoutSeconds: options.idleTimeoutSeconds,
      metricsPort: options.metricsPort,
    },
    state,
    metrics,
    log,
    webhooks: options.webhooks,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  await holder.refresh();
  return {
    url,
    app,
    holder,
    metrics,
    state,
    dir,
    modelPath,
    async close() {
      holder.stopPolling();
      await app.close();
      await pool?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A temp folder holding the fixture model as model.json (for `spawnServe` and `startServer`). */
export async function tempModelFile(version: string): Promise<{ dir: string; modelPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), "inflow-serve-test-"));
  const modelPath = join(dir, "model.json");
  await writeRoutingModel(modelPath, testModel(), version);
  return { dir, modelPath };
}

export interface SpawnedServe {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far (JSON log lines). */
  stderr(): string;
  exited: Promise<number | null>;
}

/** `node bin/inflow.js serve` on a free port (needs `npm run build`); resolves once /api/ready answers 200. */
export async function spawnServe(env: Record<string, string>, args: string[] = []): Promise<SpawnedServe> {
  const port = await freePort();
  const child = stopsWithTest(
    spawn(
      process.execPath,
      [join(repoRoot, "bin/inflow.js"), "serve", "--host", "127.0.0.1", "--port", String(port), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, INFLOW_LOG_LEVEL: "info", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    ),
  );
  let err = "";
  child.stderr!.on("data", (chunk) => {
    err += chunk;
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`inflow serve exited with ${child.exitCode}: ${err}`);
    try {
      // Ready, not just listening: the model is loaded, so the first request is answered by it.
      if ((await fetch(`${url}/api/ready`)).ok) return { url, child, stderr: () => err, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`inflow serve did not become ready: ${err}`);
}

/** The value of one sample in Prometheus text format (labels matched exactly, in any order); 0 when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = new Map(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    if (have.size === wanted.length && wanted.every(([k, v]) => have.get(k) === v)) return Number(match[3]);
  }
  return 0;
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
