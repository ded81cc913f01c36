/**
 * Where fitNmf's time goes on the bench data sets: init (randomized SVD + NNDSVD), iterations, error.
 * Run: node --import tsx bench/nmf-profile.ts [--data tickets|synthetic] [--threads N]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { nnz } from "../src/topics/csr.js";
import { fitNmf } from "../src/topics/nmf.js";
import { initializeNmf } from "../src/topics/nmf-init.js";
import { fitTransformTfidf } from "../src/topics/tfidf.js";
import { argument } from "./common.js";

const data = argument("--data") ?? "tickets";
const root = fileURLToPath(new URL("..", import.meta.url));
const rows = parse(gunzipSync(readFileSync(join(root, "data", "it-service-tickets", "tickets.csv.gz"))), {
  columns: true,
}) as { Document: string }[];
const docs = rows.map((row) => row.Document.split(/\s+/).filter((t) => t.length > 0));
const { matrix } = fitTransformTfidf(docs, { minDf: 2, maxDf: 0.95 });
const k = 8;
const threads = Number(argument("--threads") ?? 2);
console.log(data, matrix.rows, matrix.cols, nnz(matrix));
for (let pass = 0; pass < 3; pass++) {
  let t = performance.now();
  initializeNmf(matrix, k, "nndsvda", 0);
  const init = performance.now() - t;
  t = performance.now();
  const model = fitNmf(matrix, { k, init: "nndsvda", seed: 0, threads });
  const total = performance.now() - t;
  console.log({
    init: Math.round(init),
    total: Math.round(total),
    iterations: model.iterations,
    error: model.reconstructionError,
  });
}
