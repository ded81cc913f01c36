/**
 * The classify API against its seed-shaped peer, in one run: FastAPI + uvicorn (one worker,
 * scikit-learn, bench/api_peer.py) versus `inflow serve` (one process), both serving the same model,
 * driven by wrk at 32 connections with single-ticket requests and 32-ticket batches. The same run
 * measures the ceiling: a bare Fastify route that parses the same JSON and answers a constant
 * (bench/api-bare.ts); inflow's throughput is also reported as a share of it.
 *
 * inflow serves with its default preprocessing (INFLOW_API_PREPROCESS=lexicon); the run also measures
 * that mode's agreement with the exact path (bench/api-lexicon.ts) and stores it with the numbers.
 *
 * Run: npm run bench:api [-- --seconds 15] [-- --preprocess exact]   (builds first; installs wrk with apt-get when missing)
 * Prints a table and writes bench/results/api.json.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { measureLexiconAgreement } from "./api-lexicon.js";
import { processCpuMs } from "./common.js";
import { writeBenchModels } from "./peer-model.js";
import { connections, ensureWrk, waitHealthy, writeLua, wrk, wrkCounts } from "./wrk.js";

const root = new URL("..", import.meta.url).pathname;
const secondsArg = process.argv.indexOf("--seconds");
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 15;
const preprocessArg = process.argv.indexOf("--preprocess");
const preprocess = preprocessArg > 0 ? process.argv[preprocessArg + 1]! : "lexicon";

interface LoadResult {
  requestsPerSecond: number;
  ticketsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number };
  requests: number;
  errors: number;
  rssMiB: { idle: number; underLoad: number };
  /** The server process's CPU time (all threads) per request: hardly moved by other load on the machine. */
  cpuMicrosecondsPerRequest: number;
}

ensureWrk();
const loadAtStart = round(loadavg()[0]!);
const work = mkdtempSync(join(tmpdir(), "inflow-bench-api-"));
try {
  const { model, modelPath, peerModelPath } = await writeBenchModels(work);
  // Held-out tickets (another seed than training): 256 single-ticket bodies and 64 batches of 32.
  const tickets = fixtureTickets(256 + 64 * 32, 2024).map((t) => ({ id: t.id, text: t.text }));
  const single = writeLua(
    join(work, "single.lua"),
    tickets.slice(0, 256).map((t) => JSON.stringify([t])),
  );
  const batch = writeLua(
    join(work, "batch.lua"),
    Array.from({ length: 64 }, (_, b) => JSON.stringify(tickets.slice(256 + b * 32, 256 + (b + 1) * 32))),
  );
  const chars = tickets
    .slice(0, 256)
    .map((t) => t.text.length)
    .sort((a, b) => a - b);

  const peer = await measure(
    "peer (FastAPI + uvicorn, 1 worker, scikit-learn)",
    8601,
    (port) =>
      spawn(
        join(root, ".venv/bin/python"),
        [
          "-m",
          "uvicorn",
          "api_peer:app",
          "--app-dir",
          join(root, "bench"),
          "--port",
          String(port),
          "--workers",
          "1",
          "--log-level",
          "warning",
          "--no-access-log",
        ],
        { env: { ...process.env, API_PEER_MODEL: peerModelPath }, stdio: ["ignore", "ignore", "inherit"] },
      ),
    { single, batch },
  );
  const bare = await measure(
    "ceiling (bare Fastify route, constant answer)",
    8603,
    (port) =>
      spawn(process.execPath, ["--import", "tsx", join(root, "bench/api-bare.ts"), String(port)], {
        stdio: ["ignore", "ignore", "inherit"],
      }),
    { single, batch },
  );
  const inflow = await measure(
    "inflow serve (1 process)",
    8602,
    (port) =>
      spawn(
        process.execPath,
        [
          join(root, "bin/inflow.js"),
          "serve",
          "--model",
          modelPath,
          "--port",
          String(port),
          "--host",
          "127.0.0.1",
        ],
        {
          env: {
            ...process.env,
            INFLOW_MODEL_POLL_SECONDS: "0",
            INFLOW_API_MAX_BATCH: "256",
            INFLOW_API_PREPROCESS: preprocess,
          },
          // Access logs stay on (the production default); they go nowhere here.
          stdio: ["ignore", "ignore", "ignore"],
        },
      ),
    { single, batch },
    // Ready, not only alive: the model is loaded and every prediction worker warmed up.
    "/api/ready",
  );

  // Read before the agreement measurement below adds its own load.
  const loadAverage1m = { atStart: loadAtStart, atEnd: round(loadavg()[0]!) };
  const preprocessing = { served: preprocess, agreementWithExact: measureLexiconAgreement(model) };
  const result = {
    bench: "api",
    date: new Date().toISOString(),
    // Other work on the machine skews both services: the 1-minute load average is kept with the numbers.
    machine: { cpus: cpus().length, node: process.version, loadAverage1m },
    load: {
      tool: wrkVersion(),
      connections,
      seconds,
      singleTicketChars: { median: chars[128], max: chars[255] },
    },
    model: { classes: model.classifier.nClasses, features: model.classifier.nFeatures },
    preprocessing,
    peer,
    ceiling: bare,
    inflow,
    ratio: {
      singleRequestsPerSecond: round(inflow.single.requestsPerSecond / peer.single.requestsPerSecond),
      batchTicketsPerSecond: round(inflow.batch.ticketsPerSecond / peer.batch.ticketsPerSecond),
    },
    shareOfCeiling: {
      singleRequestsPerSecond: round(inflow.single.requestsPerSecond / bare.single.requestsPerSecond),
      batchRequestsPerSecond: round(inflow.batch.requestsPerSecond / bare.batch.requestsPerSecond),
      // The same share by CPU time per request (ceiling's ÷ inflow's): what throughput would be on an idle machine.
      singleByCpuPerRequest: round(
        bare.single.cpuMicrosecondsPerRequest / inflow.single.cpuMicrosecondsPerRequest,
      ),
    },
    targets: {
      singleRatioAtLeast10: inflow.single.requestsPerSecond >= 10 * peer.single.requestsPerSecond,
      singleP99AtMost10ms: inflow.single.latencyMs.p99 <= 10,
      singleShareOfCeilingAtLeast70pct:
        inflow.single.requestsPerSecond >= 0.7 * bare.single.requestsPerSecond,
    },
  };
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/api.json"), `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  console.log(`load average (1 min): ${loadAverage1m.atStart} at start, ${loadAverage1m.atEnd} at end`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function measure(
  name: string,
  port: number,
  start: (port: number) => ChildProcess,
  scripts: { single: string; batch: string },
  readyPath = "/api/health",
): Promise<{ name: string; single: LoadResult; batch: LoadResult }> {
  const child = start(port);
  try {
    await waitHealthy(`http://127.0.0.1:${port}${readyPath}`, child);
    const url = `http://127.0.0.1:${port}/api/predict`;
    await wrk(url, scripts.single, 3); // warm-up (JIT, caches, connection setup)
    const single = await runLoad(url, scripts.single, child.pid!, 1);
    const batch = await runLoad(url, scripts.batch, child.pid!, 32);
    return { name, single, batch };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

async function runLoad(
  url: string,
  script: string,
  pid: number,
  ticketsPerRequest: number,
): Promise<LoadResult> {
  const idle = rssMiB(pid);
  const cpuBefore = processCpuMs(pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 250);
  const output = await wrk(url, script, seconds);
  clearInterval(sampler);
  const cpuMs = processCpuMs(pid) - cpuBefore;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
  const { requests, errors } = wrkCounts(output);
  return {
    requestsPerSecond: Math.round(rps),
    ticketsPerSecond: Math.round(rps * ticketsPerRequest),
    latencyMs: {
      p50: percentile(output, "50"),
      p90: percentile(output, "90"),
      p99: percentile(output, "99"),
    },
    requests,
    errors,
    rssMiB: { idle, underLoad: peak },
    cpuMicrosecondsPerRequest: round((cpuMs * 1000) / requests),
  };
}

/** wrk prints "  99%    3.21ms" (or us / s); returns milliseconds. */
function percentile(output: string, p: string): number {
  const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return round(match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value);
}

function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return round(kib / 1024);
}

function wrkVersion(): string {
  const out = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  return (out.stdout || out.stderr).split("\n")[0]!.split(" Copyright")[0]!.trim();
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function printTable(result: {
  peer: { name: string; single: LoadResult; batch: LoadResult };
  ceiling: { name: string; single: LoadResult; batch: LoadResult };
  inflow: { name: string; single: LoadResult; batch: LoadResult };
  ratio: Record<string, number>;
  shareOfCeiling: Record<string, number>;
  targets: Record<string, boolean>;
}): void {
  const rows = [result.peer, result.ceiling, result.inflow].flatMap((s) =>
    (["single", "batch"] as const).map((kind) => {
      const r = s[kind];
      return `${s.name.padEnd(52)} ${kind.padEnd(7)} ${String(r.requestsPerSecond).padStart(8)} req/s ${String(r.ticketsPerSecond).padStart(8)} tickets/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  CPU ${r.cpuMicrosecondsPerRequest} µs/req  RSS ${r.rssMiB.underLoad} MiB  errors ${r.errors}`;
    }),
  );
  console.log(rows.join("\n"));
  console.log(
    JSON.stringify({ ratio: result.ratio, shareOfCeiling: result.shareOfCeiling, targets: result.targets }),
  );
}
