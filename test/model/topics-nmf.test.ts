import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fitNmf } from "../../src/topics/nmf.js";
import { fitTransformTfidf } from "../../src/topics/tfidf.js";
import { Rng } from "../../src/util/random.js";

/** Ticket-like corpus: each document mostly from one of 8 topics with Zipf-distributed terms. */
function corpus(docs: number, seed: number): string[][] {
  const rng = new Rng(seed);
  const out: string[][] = [];
  for (let d = 0; d < docs; d++) {
    const main = rng.int(8);
    const doc: string[] = [];
    for (let n = 8 + rng.int(30); n > 0; n--) {
      const topic = rng.next() < 0.7 ? main : rng.int(8);
      doc.push(`t${topic}w${Math.floor(Math.exp(rng.next() * Math.log(300)))}`);
    }
    out.push(doc);
  }
  return out;
}

const PEER = `
import json, sys
import numpy as np, scipy.sparse as sp
from sklearn.decomposition import NMF
job = json.load(sys.stdin)
X = sp.csr_matrix((np.array(job["data"]), np.array(job["indices"]), np.array(job["indptr"])), shape=(job["rows"], job["cols"]))
out = {}
for k in job["ks"]:
    model = NMF(n_components=k, init="nndsvda", solver="cd", tol=job["tol"], max_iter=job["maxIter"], random_state=0).fit(X)
    out[str(k)] = model.reconstruction_err_
json.dump(out, sys.stdout)
`;

test("NMF reconstruction error is within 1% of scikit-learn's (same data, k, tol, max_iter)", () => {
  const { matrix } = fitTransformTfidf(corpus(2500, 11), { minDf: 2, maxDf: 0.95 });
  const ks = [4, 8, 12];
  const job = {
    rows: matrix.rows,
    cols: matrix.cols,
    indptr: Array.from(matrix.indptr),
    indices: Array.from(matrix.indices),
    data: Array.from(matrix.data),
    ks,
    tol: 1e-4,
    maxIter: 200,
  };
  const sklearn = JSON.parse(
    execFileSync(".venv/bin/python", ["-c", PEER], { input: JSON.stringify(job) }).toString(),
  ) as Record<string, number>;
  for (const k of ks) {
    const ours = fitNmf(matrix, { k, tol: 1e-4, maxIter: 200 }).reconstructionError;
    assert.ok(ours <= sklearn[String(k)]! * 1.01, `k=${k}: ${ours} vs scikit-learn ${sklearn[String(k)]}`);
  }
});
