/**
 * What one /api/predict request costs, compared between two builds on a busy machine. bench:api's
 * throughput moves by 2× with the machine's load, so a change of 10% cannot be seen in it; here both
 * builds' servers run in one process (Fastify's inject: no sockets, no wrk), the same 256 single-ticket
 * bodies as bench:api go to each in blocks, the blocks alternate A/B, and each block's process CPU time
 * is paired with its neighbour's. Load then inflates both sides alike, and the paired difference
 * comes with a 95% interval. CPU time per request here is higher than on a quiet machine; the
 * difference between builds is what it tells.
 *
 * Run: npm run bench:api-paired -- --base <git revision> [--rounds 150] [--classify]
 *   (A = the revision, exported and built into a temporary directory; B = this checkout, which the
 *   npm script builds). `--classify` times `predictor.predict` alone instead of whole requests.
 *   Worker threads are off (INFLOW_API_WORKERS=0): the long bodies are classified inline on both sides.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureTickets } from "../test/harness/routing-model-fixture.js";
import { alternatingRounds, argument, median, round } from "./common.js";
import { writeBenchModels } from "./peer-model.js";

if (process.argv.includes("--help")) {
  console.log(
    "node --import tsx bench/api-paired.ts --base <git revision> [--rounds 150] [--classify]\n" +
      "Per-request CPU of /api/predict: the revision (A) against this checkout's dist/ (B), in one process.",
  );
  process.exit(0);
}
const root = new URL("..", import.meta.url).pathname;
const base = argument("--base");
if (!base) throw new Error("--base <git revision> is required (see --help)");
const rounds = Number(argument("--rounds") ?? 150);
const classifyOnly = process.argv.includes("--classify");
const blockSize = 256;

const work = mkdtempSync(join(tmpdir(), "inflow-bench-api-paired-"));
try {
  const baseDir = join(work, "base");
  execFileSync("sh", ["-c", `mkdir -p ${baseDir} && git -C ${root} archive ${base} | tar -x -C ${baseDir}`]);
  symlinkSync(join(root, "node_modules"), join(baseDir, "node_modules"));
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(baseDir, "tsconfig.build.json")]);
  const { modelPath } = await writeBenchModels(work);
  // bench:api's single-ticket bodies (the first 256 of its held-out tickets).
  const texts = fixtureTickets(256 + 64 * 32, 2024)
    .slice(0, blockSize)
    .map((t) => ({ id: t.id, text: t.text }));
  const bodies = texts.map((t) => JSON.stringify([t]));
  const env = {
    ...process.env,
    INFLOW_MODEL_POLL_SECONDS: "0",
    INFLOW_API_WORKERS: "0",
    INFLOW_API_PREPROCESS: "lexicon",
    INFLOW_API_SHUTDOWN_DELAY_SECONDS: "0",
  };
  const start = async (dir: string) => {
    const { loadServerConfig } = await import(join(dir, "dist/server/config.js"));
    const { startServer } = await import(join(dir, "dist/server/serve.js"));
    const { createServerLogger } = await import(join(dir, "dist/server/logger.js"));
    const config = loadServerConfig(env, { modelSource: modelPath, port: 0, host: "127.0.0.1" });
    const server = await startServer(config, createServerLogger());
    const one = async (i: number) => {
      if (classifyOnly) return server.holder.current.predictor.predict(texts[i]!.text);
      const response = await server.app.inject({
        method: "POST",
        url: "/api/predict",
        headers: { "content-type": "application/json" },
        payload: bodies[i]!,
      });
      if (response.statusCode !== 200) throw new Error(`${dir}: ${response.statusCode} ${response.body}`);
    };
    return { server, one };
  };
  const sides = { A: await start(baseDir), B: await start(root) };
  // Warm-up: JIT, the lexicon's caches, Fastify's compiled schemas.
  for (let i = 0; i < 12 * blockSize; i++)
    for (const side of [sides.A, sides.B]) await side.one(i % blockSize);
  const loadAtStart = loadavg()[0]!;
  const runs = await alternatingRounds(["A", "B"] as const, rounds, async (side) => {
    const before = process.cpuUsage();
    for (let i = 0; i < blockSize; i++) await sides[side].one(i);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / blockSize;
  });
  const differences = runs.A.map((a, r) => a - runs.B[r]!);
  const mean = differences.reduce((sum, d) => sum + d, 0) / rounds;
  const sd = Math.sqrt(differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (rounds - 1));
  console.log(
    JSON.stringify({
      measured: classifyOnly ? "predictor.predict" : "POST /api/predict (inject)",
      base,
      rounds,
      cpuMicrosecondsPerRequest: { A: round(median(runs.A)), B: round(median(runs.B)) },
      differenceAminusB: { mean: round(mean), ci95: round((1.96 * sd) / Math.sqrt(rounds)) },
      loadAverage1m: { atStart: round(loadAtStart), atEnd: round(loadavg()[0]!) },
    }),
  );
  await Promise.all([sides.A.server.shutdown(), sides.B.server.shutdown()]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
