/**
 * The API under worst-case texts, at the default limits (INFLOW_MAX_TEXT_CHARS, INFLOW_MAX_TOKEN_CHARS,
 * INFLOW_API_PREPROCESS=lexicon): unique random words (every one new to the lexicon and to wink), one
 * huge word, and both in batches. Measures
 * - the longest event-loop block (perf_hooks' loop delay maximum) while one worst-case request runs;
 * - /api/health latency (p50/p99/max) while `clients` connections keep sending worst-case batches.
 * The server runs in its own process (bench/adversarial-server.ts) with the default worker threads
 * (BENCH_WORKERS=n overrides; 0 = everything on the event loop); batches are made before timing.
 * Writes bench/results/adversarial.json.  Run: npm run bench:adversarial
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { defaultTextLimits } from "../src/text/limits.js";
import { Rng } from "../src/util/random.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const clients = 4;
const rng = new Rng(14);

function uniqueWords(chars: number): string {
  let text = "";
  while (text.length < chars) {
    let word = "";
    for (let i = 0, n = 3 + rng.int(40); i < n; i++) word += String.fromCharCode(97 + rng.int(26));
    text += `${word} `;
  }
  return text.slice(0, chars);
}

/** About 1 MiB (the default body limit): 48 tickets of 20,000 characters, every word new. */
const worstBatch = () => [
  ...Array.from({ length: 48 }, (_, i) => ({ id: i, text: uniqueWords(20_000) })),
  { id: 48, text: "x".repeat(20_000) },
];

interface Blocks {
  maxBlockMs: number;
  p99BlockMs: number;
}
const server = fork(new URL("adversarial-server.ts", import.meta.url), { execArgv: ["--import", "tsx"] });
const [{ url, workers }] = (await once(server, "message")) as [{ url: string; workers: number }];
const measured = async (action: () => Promise<void>): Promise<Blocks> => {
  server.send("start");
  await action();
  server.send("stop");
  return ((await once(server, "message")) as [Blocks])[0];
};
// Every word of every batch is new to the server (each batch is sent once).
const batches = Array.from({ length: 1 + 4 * Math.ceil(seconds / 5) }, () => JSON.stringify(worstBatch()));
const predict = (body: string) =>
  fetch(`${url}/api/predict`, { method: "POST", headers: { "content-type": "application/json" }, body });

// 1. One worst-case request alone: the longest block of the server's event loop while it runs.
const single = batches.pop()!;
let singleSeconds = 0;
const singleBlocks = await measured(async () => {
  const started = performance.now();
  const response = await predict(single);
  await response.arrayBuffer();
  singleSeconds = (performance.now() - started) / 1000;
  if (response.status !== 200) throw new Error(`worst-case request answered ${response.status}`);
});

// 2. Saturated: `clients` connections sending worst-case batches back to back; health probed meanwhile.
let running = true;
let answered = 0;
const latencies: number[] = [];
const saturatedBlocks = await measured(async () => {
  const load = Array.from({ length: clients }, async () => {
    while (running && batches.length > 0) {
      const r = await predict(batches.pop()!);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`worst-case request answered ${r.status}`);
      answered++;
    }
  });
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const t = performance.now();
    const health = await fetch(`${url}/api/health`);
    await health.arrayBuffer();
    latencies.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  running = false;
  await Promise.all(load);
});
server.send("close");
await once(server, "exit");

latencies.sort((a, b) => a - b);
const round = (x: number) => Math.round(x * 10) / 10;
const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
const result = {
  bench: "adversarial",
  date: new Date().toISOString(),
  machine: { node: process.version, loadAverage1m: Math.round(loadavg()[0]! * 100) / 100 },
  limits: { ...defaultTextLimits, preprocess: "lexicon", bodyBytesPerRequest: single.length },
  // INFLOW_API_WORKERS (the served default here; BENCH_WORKERS=0 measures the main thread alone).
  workers,
  singleWorstRequest: {
    tickets: 49,
    seconds: round(singleSeconds),
    eventLoopBlockMs: { max: round(singleBlocks.maxBlockMs), p99: round(singleBlocks.p99BlockMs) },
  },
  saturated: {
    clients,
    seconds,
    worstCaseBatchesAnswered: answered,
    healthProbes: latencies.length,
    healthMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
    eventLoopBlockMs: { max: round(saturatedBlocks.maxBlockMs), p99: round(saturatedBlocks.p99BlockMs) },
  },
};
console.log(JSON.stringify(result, null, 2));
await writeFile(new URL("results/adversarial.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
