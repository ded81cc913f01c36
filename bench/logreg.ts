/**
 * Training time and held-out accuracy of fitLogistic against scikit-learn's lbfgs LogisticRegression,
 * on the same TF-IDF features (min_df=2) of the real IT tickets, same split, same C / max_iter / tol.
 * The two sides' fits alternate (scikit-learn, ours, scikit-learn, ...) so load from other processes
 * on the machine hits both alike.
 * Run: node --import tsx bench/logreg.ts [--repeat N] [--C C] [--max-iter M] [--tol T] [--peer-threads N]
 * (--peer-threads caps scikit-learn's OpenMP/BLAS threads; by default it uses every core, we use one).
 * Prints one JSON line; ratio = our median wall time / scikit-learn's median wall time. CPU times (all
 * threads of the process) are reported too: on a loaded machine they are the steadier comparison.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fitLogistic, type LogisticFit, predictClasses } from "../src/classify/logistic.js";
import type { Csr } from "../src/topics/csr.js";
import { argument, median, round } from "./common.js";

const repeat = Number(argument("--repeat") ?? 5);
const C = Number(argument("--C") ?? 1);
const maxIter = Number(argument("--max-iter") ?? 100);
const tol = Number(argument("--tol") ?? 1e-4);
const peerThreads = argument("--peer-threads");
const peerEnv =
  peerThreads === undefined
    ? process.env
    : { ...process.env, OMP_NUM_THREADS: peerThreads, OPENBLAS_NUM_THREADS: peerThreads };

const root = fileURLToPath(new URL("..", import.meta.url));
const python = join(root, ".venv/bin/python");
const peerScript = join(root, "bench/logreg_peer.py");
const dir = mkdtempSync(join(tmpdir(), "inflow-logreg-"));
try {
  execFileSync(python, [peerScript, "features", dir]);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as {
    cols: number;
    trainRows: number;
    testRows: number;
    nClasses: number;
    nnzTrain: number;
  };
  const train = readCsr("train", meta.trainRows, meta.cols);
  const test = readCsr("test", meta.testRows, meta.cols);
  const yTrain = new Int32Array(readBytes("train.y"));
  const yTest = new Int32Array(readBytes("test.y"));

  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  const peerRuns: { seconds: number; cpuSeconds: number; iterations: number; accuracy: number }[] = [];
  let fit: LogisticFit | undefined;
  for (let pass = 0; pass < repeat; pass++) {
    const peerArgs = [peerScript, "fit", dir, `--C=${C}`, `--max-iter=${maxIter}`, `--tol=${tol}`];
    peerRuns.push(JSON.parse(execFileSync(python, peerArgs, { encoding: "utf8", env: peerEnv })));
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    fit = fitLogistic(train, yTrain, meta.nClasses, { C, maxIter, tol });
    const cpu = process.cpuUsage(cpuStart);
    seconds.push((performance.now() - start) / 1000);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
  }
  const predicted = predictClasses(fit!, test);
  let correct = 0;
  for (let i = 0; i < yTest.length; i++) if (predicted[i] === yTest[i]) correct++;

  const peerSeconds = peerRuns.map((run) => run.seconds);
  const peerCpuSeconds = peerRuns.map((run) => run.cpuSeconds);
  console.log(
    JSON.stringify({
      bench: "logreg",
      data: "it-service-tickets, TfidfVectorizer(min_df=2), stratified 75/25 split (random_state=0)",
      trainRows: meta.trainRows,
      testRows: meta.testRows,
      features: meta.cols,
      classes: meta.nClasses,
      nnzTrain: meta.nnzTrain,
      settings: { C, maxIter, tol, sklearnThreads: peerThreads ?? "default" },
      seconds: round(median(seconds)),
      sklearnSeconds: round(median(peerSeconds)),
      ratio: round(median(seconds) / median(peerSeconds)),
      minRatio: round(Math.min(...seconds) / Math.min(...peerSeconds)),
      cpuSeconds: round(median(cpuSeconds)),
      sklearnCpuSeconds: round(median(peerCpuSeconds)),
      cpuRatio: round(median(cpuSeconds) / median(peerCpuSeconds)),
      iterations: fit!.iterations,
      sklearnIterations: peerRuns[0]!.iterations,
      accuracy: round(correct / yTest.length),
      sklearnAccuracy: round(peerRuns[0]!.accuracy),
      allSeconds: seconds.map(round),
      allSklearnSeconds: peerSeconds.map(round),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function readCsr(name: string, rows: number, cols: number): Csr {
  return {
    rows,
    cols,
    indptr: new Int32Array(readBytes(`${name}.indptr`)),
    indices: new Int32Array(readBytes(`${name}.indices`)),
    data: new Float64Array(readBytes(`${name}.data`)),
  };
}

/** A file's bytes in a fresh, aligned ArrayBuffer. */
function readBytes(file: string): ArrayBuffer {
  const bytes = readFileSync(join(dir, file));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
