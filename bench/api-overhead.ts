/**
 * Where a single-ticket /api/predict request's CPU goes, over real sockets: bench:api's ceiling (the
 * bare Fastify route), `inflow serve`'s server (startServer, run from the sources by tsx, one process
 * per variant), and the same server with its classification
 * replaced by one precomputed prediction (everything else kept: validation, hooks, metrics, access
 * log, serialization), with and without the access log. The variants take turns in short wrk bursts
 * (32 connections, bench:api's 256 single-ticket bodies), so machine load falls on all of them alike;
 * each burst's server CPU time per request comes from /proc, and the medians are compared:
 *   server work outside classification = constant − ceiling; classification in the server = full − constant.
 *
 * Run: npm run bench:api-overhead [-- --rounds 4 --seconds 4]   (worker threads off: single tickets stay inline anyway)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { argument, loadRange, median, processCpuMs, round } from "./common.js";
import { writeBenchModels } from "./peer-model.js";
import { ensureWrk, waitHealthy, writeLua, wrk, wrkCounts } from "./wrk.js";

const root = new URL("..", import.meta.url).pathname;

if (process.argv.includes("--help")) {
  console.log(
    "npm run bench:api-overhead [-- --rounds 4 --seconds 4]\n" +
      "Server CPU per single-ticket request: bare route, inflow serve, inflow with a constant classification.",
  );
  process.exit(0);
}
const serveMode = argument("--serve");
if (serveMode)
  await serve(serveMode as "full" | "constant", Number(argument("--port")), argument("--model")!);
else await compare();

/** One `inflow serve` (this process), optionally with classification replaced by a fixed answer. */
async function serve(mode: "full" | "constant", port: number, modelPath: string): Promise<void> {
  const { loadServerConfig } = await import("../server/config.js");
  const { startServer } = await import("../server/serve.js");
  const { createServerLogger } = await import("../server/logger.js");
  const config = loadServerConfig(process.env, { modelSource: modelPath, port, host: "127.0.0.1" });
  const server = await startServer(config, createServerLogger());
  if (mode === "constant") {
    const served = server.holder.current!;
    const answer = served.predictor.predict("my card was charged twice for one purchase");
    const constant = {
      ...served,
      offload: null,
      // No words, no tagging: the request path runs as usual around a classification that costs nothing.
      // biome-ignore lint/correctness/useYield: no words, so no tagging step to pause at
      termSteps: function* () {
        return [];
      },
      predictor: { ...served.predictor, predictTokens: () => answer },
    };
    Object.defineProperty(server.holder, "current", { get: () => constant });
  }
  process.once("SIGTERM", () => void server.shutdown().then(() => process.exit(0)));
}

async function compare(): Promise<void> {
  ensureWrk();
  const rounds = Number(argument("--rounds") ?? 4);
  const seconds = Number(argument("--seconds") ?? 4);
  const work = mkdtempSync(join(tmpdir(), "inflow-bench-api-overhead-"));
  const children: ChildProcess[] = [];
  try {
    const { modelPath } = await writeBenchModels(work);
    const script = writeLua(
      join(work, "single.lua"),
      fixtureTickets(256 + 64 * 32, 2024)
        .slice(0, 256)
        .map((t) => JSON.stringify([{ id: t.id, text: t.text }])),
    );
    const inflowEnv = (accessLog: boolean) => ({
      ...process.env,
      INFLOW_MODEL_POLL_SECONDS: "0",
      INFLOW_API_WORKERS: "0",
      INFLOW_API_PREPROCESS: "lexicon",
      INFLOW_API_SHUTDOWN_DELAY_SECONDS: "0",
      INFLOW_API_ACCESS_LOG: String(accessLog),
    });
    const inflow = (mode: string, accessLog: boolean) => (port: number) =>
      spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(root, "bench/api-overhead.ts"),
          "--serve",
          mode,
          "--port",
          String(port),
          "--model",
          modelPath,
        ],
        { env: inflowEnv(accessLog), stdio: ["ignore", "ignore", "ignore"] },
      );
    const variants = [
      {
        name: "ceiling (bare Fastify route)",
        ready: "/api/health",
        start: (port: number) =>
          spawn(process.execPath, ["--import", "tsx", join(root, "bench/api-bare.ts"), String(port)], {
            stdio: "ignore",
          }),
      },
      { name: "inflow serve", ready: "/api/ready", start: inflow("full", true) },
      { name: "inflow, constant classification", ready: "/api/ready", start: inflow("constant", true) },
      {
        name: "inflow, constant classification, no access log",
        ready: "/api/ready",
        start: inflow("constant", false),
      },
    ].map((variant, i) => {
      const port = 8650 + i;
      const child = variant.start(port);
      children.push(child);
      return { ...variant, child, url: `http://127.0.0.1:${port}`, cpu: [] as number[], errors: 0 };
    });
    for (const v of variants) {
      await waitHealthy(v.url + v.ready, v.child);
      await wrk(`${v.url}/api/predict`, script, 3); // warm-up: JIT, the lexicon's caches
    }
    const loads = [loadavg()[0]!];
    for (let r = 0; r < rounds; r++) {
      // Rotated order: no variant always runs first or right after the same neighbour.
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(r + k) % variants.length]!;
        const before = processCpuMs(v.child.pid!);
        const { requests, errors } = wrkCounts(await wrk(`${v.url}/api/predict`, script, seconds));
        v.cpu.push(((processCpuMs(v.child.pid!) - before) * 1000) / requests);
        v.errors += errors;
      }
      loads.push(loadavg()[0]!);
    }
    const cpu = variants.map((v) => round(median(v.cpu)));
    for (const [i, v] of variants.entries())
      console.log(
        `${v.name.padEnd(48)} ${String(cpu[i]).padStart(7)} µs CPU/request  (rounds: ${v.cpu.map(Math.round).join(", ")}; errors ${v.errors})`,
      );
    const [ceiling, full, constant, unlogged] = cpu as [number, number, number, number];
    console.log(
      JSON.stringify({
        cpuMicrosecondsPerRequest: { ceiling, full, constant, constantWithoutAccessLog: unlogged },
        outsideClassification: round(constant - ceiling),
        classificationInServer: round(full - constant),
        accessLog: round(constant - unlogged),
        shareOfCeilingByCpu: round(ceiling / full),
        rounds,
        seconds,
        loadAverage1m: loadRange(loads),
      }),
    );
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.once("exit", resolve)) : null)),
    );
    rmSync(work, { recursive: true, force: true });
  }
}
