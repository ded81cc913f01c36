/**
 * TF-IDF + NMF wall time and reconstruction error against scikit-learn's TfidfVectorizer +
 * NMF(init="nndsvda", solver="cd") with the same k / tol / max_iter, on (1) the real IT tickets and
 * (2) a synthetic 100k-document corpus of planted Zipfian topics. Both sides start from the same
 * whitespace-split token lists (splitting and file reading are not timed).
 * Run: node --import tsx bench/nmf.ts [--data tickets|synthetic|all] [--repeat N] [--tol T] [--max-iter M]
 *        [--peer-threads N]
 * (--peer-threads caps scikit-learn's OpenMP/BLAS threads; by default both sides use every core: our NMF
 * runs on src/topics/nmf-threads.ts. The peer's libraries and thread counts are printed with the result.)
 * Prints one JSON line per data set; times are medians over the repeats (scikit-learn and ours
 * alternate), ratio = ours / scikit-learn's; each pass's times and ratio, and the load average
 * before and after, are printed too (the machine may be shared).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { nnz } from "../src/topics/csr.js";
import { fitNmf } from "../src/topics/nmf.js";
import { defaultNmfThreads } from "../src/topics/nmf-threads.js";
import { fitTransformTfidf } from "../src/topics/tfidf.js";
import { Rng } from "../src/util/random.js";
import { argument, median, round } from "./common.js";

const data = argument("--data") ?? "all";
const repeat = Number(argument("--repeat") ?? 1);
const tol = Number(argument("--tol") ?? 1e-4);
const maxIter = Number(argument("--max-iter") ?? 200);
const peerThreads = argument("--peer-threads");
const peerEnv =
  peerThreads === undefined
    ? process.env
    : { ...process.env, OMP_NUM_THREADS: peerThreads, OPENBLAS_NUM_THREADS: peerThreads };
const minDf = 2;
const maxDf = 0.95;

const root = fileURLToPath(new URL("..", import.meta.url));
// The panel's copy in the repository: the bench runs from any checkout (a worktree, CI).
const tickets = join(root, "data", "it-service-tickets", "tickets.csv.gz");
const dir = mkdtempSync(join(tmpdir(), "inflow-nmf-"));
try {
  if (data === "tickets" || data === "all") {
    const rows = parse(gunzipSync(readFileSync(tickets)), { columns: true }) as { Document: string }[];
    run(
      "it-service-tickets",
      tickets,
      rows.map((row) => split(row.Document)),
      8,
    );
  }
  if (data === "synthetic" || data === "all") {
    const docs = syntheticCorpus(100_000, 20_000, 12, new Rng(7));
    const file = join(dir, "synthetic.txt");
    writeFileSync(file, `${docs.map((d) => d.join(" ")).join("\n")}\n`);
    run("synthetic 100k docs, 12 planted topics, 20k-term Zipf vocabulary", file, docs, 12);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

interface Run {
  tfidfSeconds: number;
  nmfSeconds: number;
  seconds: number;
}

interface PeerResult {
  rows: number;
  cols: number;
  nnz: number;
  runs: Run[];
  iterations: number;
  error: number;
  threadpools: { user_api: string; internal_api: string; version: string | null; num_threads: number }[];
}

/** Alternates scikit-learn and our runs, so a shared machine's changing load hits both alike. */
function run(name: string, corpus: string, docs: string[][], k: number): void {
  const peerRuns: Run[] = [];
  const runs: Run[] = [];
  let peer: PeerResult | undefined;
  let result: { cols: number; nnz: number; iterations: number; error: number } | undefined;
  const loadBefore = loadavg().map((load) => round(load));
  for (let pass = 0; pass < repeat; pass++) {
    peer = runPeer(corpus, k);
    peerRuns.push(...peer.runs);
    const start = performance.now();
    const { matrix } = fitTransformTfidf(docs, { minDf, maxDf });
    const vectorized = performance.now();
    const model = fitNmf(matrix, { k, tol, maxIter, init: "nndsvda", seed: 0 });
    const done = performance.now();
    runs.push({
      tfidfSeconds: (vectorized - start) / 1000,
      nmfSeconds: (done - vectorized) / 1000,
      seconds: (done - start) / 1000,
    });
    result = {
      cols: matrix.cols,
      nnz: nnz(matrix),
      iterations: model.iterations,
      error: model.reconstructionError,
    };
  }
  peer = { ...peer!, runs: peerRuns };
  const ours = median(runs.map((r) => r.seconds));
  const theirs = median(peer.runs.map((r) => r.seconds));
  console.log(
    JSON.stringify({
      bench: "tfidf+nmf",
      data: name,
      rows: docs.length,
      features: result!.cols,
      sklearnFeatures: peer.cols,
      nnz: result!.nnz,
      settings: {
        k,
        tol,
        maxIter,
        minDf,
        maxDf,
        init: "nndsvda",
        repeat,
        sklearnThreads: peerThreads ?? "default",
        sklearnThreadpools: peer.threadpools,
        threads: defaultNmfThreads(),
      },
      seconds: round(ours),
      sklearnSeconds: round(theirs),
      ratio: round(ours / theirs),
      allSeconds: runs.map((r) => round(r.seconds)),
      allSklearnSeconds: peer.runs.map((r) => round(r.seconds)),
      passRatios: runs.map((r, pass) => round(r.seconds / peer!.runs[pass]!.seconds)),
      loadAverage: { before: loadBefore, after: loadavg().map((load) => round(load)) },
      tfidfSeconds: round(median(runs.map((r) => r.tfidfSeconds))),
      sklearnTfidfSeconds: round(median(peer.runs.map((r) => r.tfidfSeconds))),
      nmfSeconds: round(median(runs.map((r) => r.nmfSeconds))),
      sklearnNmfSeconds: round(median(peer.runs.map((r) => r.nmfSeconds))),
      iterations: result!.iterations,
      sklearnIterations: peer.iterations,
      reconstructionError: result!.error,
      sklearnReconstructionError: peer.error,
    }),
  );
}

/** Whitespace tokenization, as Python's str.split(). */
function split(text: string): string[] {
  return text.split(/\s+/).filter((token) => token.length > 0);
}

/**
 * Documents mixing one main topic (70% of tokens) with others; each topic draws Zipf-distributed
 * terms from its own random ordering of a shared vocabulary, so topics overlap in their tails.
 */
function syntheticCorpus(docs: number, vocabulary: number, topics: number, rng: Rng): string[][] {
  const orderings = Array.from({ length: topics }, () =>
    rng.shuffle(Array.from({ length: vocabulary }, (_, t) => t)),
  );
  const out: string[][] = [];
  for (let d = 0; d < docs; d++) {
    const main = rng.int(topics);
    const length = 8 + rng.int(40);
    const doc: string[] = [];
    for (let i = 0; i < length; i++) {
      const topic = rng.next() < 0.7 ? main : rng.int(topics);
      // Zipf-like rank: log-uniform over [1, vocabulary].
      const rank = Math.min(vocabulary - 1, Math.floor(Math.exp(rng.next() * Math.log(vocabulary))) - 1);
      doc.push(`w${orderings[topic]![rank]!}`);
    }
    out.push(doc);
  }
  return out;
}

function runPeer(corpus: string, k: number): PeerResult {
  return JSON.parse(
    execFileSync(
      join(root, ".venv/bin/python"),
      [
        join(root, "bench/nmf_peer.py"),
        corpus,
        `--k=${k}`,
        `--tol=${tol}`,
        `--max-iter=${maxIter}`,
        `--min-df=${minDf}`,
        `--max-df=${maxDf}`,
        "--repeat=1",
      ],
      { encoding: "utf8", maxBuffer: 1 << 20, env: peerEnv },
    ),
  ) as PeerResult;
}
