/**
 * Throughput of the ticket preprocessor on one core, on text it has not seen, as in a stream of one
 * desk's tickets: each run first preprocesses the first 5,000 IT service tickets and the CFPB
 * narratives of odd rows (warm-up: compiled code, and whatever the preprocessor remembers), then,
 * timed, once each: the 625 narratives of even rows and IT tickets 5,001–20,000. Input tokens are
 * wink's tokens of the timed raw texts (each punctuation mark is one).
 *
 *   node --import tsx bench/preprocess.ts                       one run of this checkout, one JSON line
 *   node --import tsx bench/preprocess.ts --against DIR [--rounds 5]
 *       alternating runs (separate processes) of this checkout and the checkout in DIR (e.g.
 *       `mkdir DIR && git archive 39c5a3d | tar -x -C DIR && ln -s $PWD/node_modules DIR/`);
 *       prints each run, the medians and their ratio
 *
 * Throughput is per CPU second of the process (one thread): on a shared machine wall time counts
 * other processes' turns too.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { alternatingRounds, argument, median, round } from "./common.js";

const here = resolve(fileURLToPath(new URL("..", import.meta.url)));

interface Run {
  code: string;
  docs: number;
  cpuSeconds: number;
  seconds: number;
  winkTokensPerCpuSecond: number;
  outputTermsPerDoc: number;
  loadAverage1m: number;
}

function texts(root: string, file: string, column: string, rows?: number): string[] {
  const records = parse(gunzipSync(readFileSync(resolve(root, "data", file))), {
    columns: true,
    ...(rows ? { to: rows } : {}),
  }) as Record<string, string>[];
  return records.map((row) => row[column]!);
}

/** One run of the preprocessor of the checkout at `root`, in this process. */
async function measure(root: string): Promise<Run> {
  const { createPreprocessor } = await import(resolve(root, "src/text/preprocess.ts"));
  const { winkPosPipeline } = await import(resolve(root, "src/text/wink.ts"));
  const cfpb = texts(root, "cfpb-narratives-sample/complaints.csv.gz", "Consumer_complaint");
  const it = texts(root, "it-service-tickets/tickets.csv.gz", "Document", 20_000);
  const warmUp = [...it.slice(0, 5000), ...cfpb.filter((_, i) => i % 2 === 1)];
  const timed = [...cfpb.filter((_, i) => i % 2 === 0), ...it.slice(5000)];
  const nlp = winkPosPipeline();
  let winkTokens = 0;
  for (const text of timed) winkTokens += nlp.readDoc(text).tokens().length();
  const preprocess = createPreprocessor() as (text: string) => string[];
  for (const text of warmUp) preprocess(text);
  const loadAverage1m = loadavg()[0]!;
  let outputTerms = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (const text of timed) outputTerms += preprocess(text).length;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    code: root,
    docs: timed.length,
    cpuSeconds: round(cpuSeconds),
    seconds: round(seconds),
    winkTokensPerCpuSecond: Math.round(winkTokens / cpuSeconds),
    outputTermsPerDoc: round(outputTerms / timed.length),
    loadAverage1m: round(loadAverage1m),
  };
}

const peer = argument("--against");
const code = argument("--code") ?? here;
if (peer === undefined) {
  console.log(JSON.stringify({ bench: "preprocess", ...(await measure(resolve(code))) }));
} else {
  const rounds = Number(argument("--rounds") ?? 5);
  const script = fileURLToPath(import.meta.url);
  const roots = { this: here, peer: resolve(peer) } as const;
  const runs = await alternatingRounds(["peer", "this"] as const, rounds, async (side) => {
    const out = execFileSync(process.execPath, ["--import", "tsx", script, "--code", roots[side]], {
      cwd: here,
      encoding: "utf8",
    });
    const run = JSON.parse(out) as Run;
    console.log(JSON.stringify({ side, ...run }));
    return run;
  });
  const throughput = (side: "this" | "peer") => median(runs[side].map((r) => r.winkTokensPerCpuSecond));
  const identical = runs.this.every((r, i) => r.outputTermsPerDoc === runs.peer[i]!.outputTermsPerDoc);
  console.log(
    JSON.stringify({
      bench: "preprocess, alternating",
      rounds,
      medianTokensPerCpuSecond: { peer: throughput("peer"), this: throughput("this") },
      ratio: round(throughput("this") / throughput("peer")),
      pairedRatios: runs.this.map((r, i) =>
        round(r.winkTokensPerCpuSecond / runs.peer[i]!.winkTokensPerCpuSecond),
      ),
      sameOutputTermCounts: identical,
    }),
  );
}
