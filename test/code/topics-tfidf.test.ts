import assert from "node:assert/strict";
import { test } from "node:test";
import type { Csr } from "../../src/topics/csr.js";
import {
  DEFAULT_TFIDF_OPTIONS,
  fitTfidf,
  fitTransformTfidf,
  type TfidfOptions,
  transformTfidf,
} from "../../src/topics/tfidf.js";
import { pythonReference } from "../harness/python-reference.js";

// Corpus with repeated terms, an n-gram-rich sentence, an empty document, and non-ASCII terms whose
// code-point order differs from UTF-16 order ("😀" vs "ﬀ").
const corpus: string[][] = [
  ["printer", "jam", "printer", "tray", "paper"],
  ["password", "reset", "account", "locked", "password"],
  ["printer", "paper", "tray", "toner", "toner", "toner"],
  ["vpn", "access", "account", "password", "reset"],
  [],
  ["laptop", "screen", "broken", "laptop", "replace", "screen"],
  ["access", "vpn", "account", "locked"],
  ["café", "ﬀ", "😀", "printer", "café"],
  ["paper", "jam", "paper", "jam", "paper"],
  ["laptop", "battery", "replace", "battery", "laptop", "charger"],
];
const unseen: string[][] = [
  ["printer", "unknownterm", "toner", "printer"],
  ["nothing", "known"],
  ["vpn", "reset"],
];

const PEER = `
import json, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
job = json.load(sys.stdin)
o = job["options"]
# JSON has no int/float distinction, so the caller says which df bounds are shares.
min_df = float(o["minDf"]) if o["minDfIsShare"] else int(o["minDf"])
max_df = float(o["maxDf"]) if o["maxDfIsShare"] else int(o["maxDf"])
v = TfidfVectorizer(analyzer="word", tokenizer=lambda d: d, preprocessor=lambda d: d, lowercase=False,
    token_pattern=None, ngram_range=(o["ngramMin"], o["ngramMax"]),
    min_df=min_df, max_df=max_df, max_features=o["maxFeatures"], sublinear_tf=o["sublinearTf"],
    norm=None if o["norm"] == "none" else "l2", smooth_idf=o["smoothIdf"])
fit = v.fit_transform(job["corpus"]).toarray()
new = v.transform(job["unseen"]).toarray()
json.dump({"vocabulary": v.get_feature_names_out().tolist(), "idf": v.idf_.tolist(),
    "fit": fit.tolist(), "transform": new.tolist()}, sys.stdout)
`;

interface PeerAnswer {
  vocabulary: string[];
  idf: number[];
  fit: number[][];
  transform: number[][];
}

function sklearn(name: string, options: TfidfOptions): PeerAnswer {
  // scikit-learn has no idf power: the reference is asked with the power 1 options only.
  const { idfPower: _, ...sklearnOptions } = options;
  const job = {
    corpus,
    unseen,
    options: { ...sklearnOptions, minDfIsShare: options.minDf < 1, maxDfIsShare: options.maxDf <= 1 },
  };
  return pythonReference<PeerAnswer>(
    `sklearn-tfidf-${name.replace(/[^a-z0-9]+/gi, "-")}`,
    ["-c", PEER],
    JSON.stringify(job),
  );
}

function dense(m: Csr): number[][] {
  const rows = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) {
      if (p > m.indptr[i]!) assert.ok(m.indices[p]! > m.indices[p - 1]!, "column indices sorted per row");
      rows[i]![m.indices[p]!] = m.data[p]!;
    }
  }
  return rows;
}

function assertClose(actual: number[][], expected: number[][]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => {
    assert.equal(row.length, expected[i]!.length);
    row.forEach((value, j) => {
      assert.ok(Math.abs(value - expected[i]![j]!) <= 1e-12, `(${i}, ${j}): ${value} vs ${expected[i]![j]}`);
    });
  });
}

/** scikit-learn TfidfVectorizer's defaults, written out independently of ours. */
const base: TfidfOptions = {
  minDf: 1,
  maxDf: 1,
  ngramMin: 1,
  ngramMax: 1,
  sublinearTf: false,
  maxFeatures: null,
  norm: "l2",
  smoothIdf: true,
  idfPower: 1,
};

test("Inflow's TF-IDF defaults are scikit-learn's", () => {
  assert.deepEqual(DEFAULT_TFIDF_OPTIONS, base);
});

const combos: [string, TfidfOptions][] = [
  ["defaults", base],
  ["min_df=2 (count), max_df=0.5 (share)", { ...base, minDf: 2, maxDf: 0.5 }],
  ["bigrams + sublinear tf", { ...base, ngramMin: 1, ngramMax: 2, sublinearTf: true }],
  ["bigrams and trigrams only, no norm", { ...base, ngramMin: 2, ngramMax: 3, norm: "none" }],
  ["max_features=6, min_df=0.2, max_df=4 (count)", { ...base, maxFeatures: 6, minDf: 0.2, maxDf: 4 }],
  ["raw idf, no smoothing", { ...base, smoothIdf: false, sublinearTf: true }],
];

for (const [name, options] of combos) {
  test(`TF-IDF equals scikit-learn's TfidfVectorizer: ${name}`, () => {
    const expected = sklearn(name, options);
    const { model, matrix } = fitTransformTfidf(corpus, options);
    assert.deepEqual(model.vocabulary, expected.vocabulary);
    assertClose([Array.from(model.idf)], [expected.idf]);
    assertClose(dense(matrix), expected.fit);
    assertClose(dense(transformTfidf(model, unseen)), expected.transform);
    assertClose(dense(transformTfidf(fitTfidf(corpus, options), corpus)), expected.fit);
  });
}

test("idf to a power weighs each count by scikit-learn's idf to that power, then normalizes the rows", () => {
  const options = base;
  const expected = sklearn("defaults", options);
  const { model, matrix } = fitTransformTfidf(corpus, { ...options, idfPower: 2 });
  assertClose([Array.from(model.idf)], [expected.idf.map((idf) => idf * idf)]);
  // tf × idf unnormalized (equal to scikit-learn's, above), times idf once more, then L2 rows.
  const raw = dense(fitTransformTfidf(corpus, { ...options, norm: "none" }).matrix);
  const squared = raw.map((row) => row.map((v, j) => v * expected.idf[j]!));
  const normalized = squared.map((row) => {
    const norm = Math.hypot(...row);
    return norm > 0 ? row.map((v) => v / norm) : row;
  });
  assertClose(dense(matrix), normalized);
  assertClose(dense(transformTfidf(model, corpus)), normalized);
  assert.throws(() => fitTransformTfidf(corpus, { idfPower: 0 }), /idfPower/);
});

test("TF-IDF rejects inconsistent df bounds and empty vocabularies", () => {
  assert.throws(() => fitTransformTfidf(corpus, { minDf: 5, maxDf: 2 }), /fewer documents/);
  assert.throws(() => fitTransformTfidf(corpus, { minDf: 9 }), /no terms remain/);
  assert.throws(() => fitTransformTfidf(corpus, { minDf: 1.5 }), /minDf/);
});
