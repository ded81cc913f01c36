import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { bootstrapIntervals } from "../../src/classify/bootstrap.js";
import { fitLogistic, predictClasses } from "../../src/classify/logistic.js";
import { classificationReport } from "../../src/classify/metrics.js";
import { stratifiedSplit } from "../../src/classify/split.js";
import { type Csr, selectRows } from "../../src/topics/csr.js";

/** TF-IDF (min_df=2) of the real IT tickets, written as raw arrays; labels are the sorted Topic_group index. */
const features = `
import csv, gzip, json, os, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
out = sys.argv[1]
with gzip.open("data/it-service-tickets/tickets.csv.gz", "rt", newline="") as f:
    rows = list(csv.DictReader(f))
classes, y = np.unique([r["Topic_group"] for r in rows], return_inverse=True)
X = TfidfVectorizer(min_df=2).fit_transform([r["Document"] for r in rows]).tocsr()
X.sort_indices()
X.indptr.astype("<i4").tofile(os.path.join(out, "indptr"))
X.indices.astype("<i4").tofile(os.path.join(out, "indices"))
X.data.astype("<f8").tofile(os.path.join(out, "data"))
y.astype("<i4").tofile(os.path.join(out, "y"))
json.dump({"rows": X.shape[0], "cols": X.shape[1], "classes": len(classes)}, open(os.path.join(out, "meta.json"), "w"))
`;

test("routing classifier reaches the supervised ceiling on the real IT tickets", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "inflow-tickets-"));
  try {
    execFileSync(".venv/bin/python", ["-c", features, dir]);
    const read = (name: string) => {
      const bytes = readFileSync(join(dir, name));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    };
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as {
      rows: number;
      cols: number;
      classes: number;
    };
    const X: Csr = {
      rows: meta.rows,
      cols: meta.cols,
      indptr: new Int32Array(read("indptr")),
      indices: new Int32Array(read("indices")),
      data: new Float64Array(read("data")),
    };
    const y = new Int32Array(read("y"));

    const split = stratifiedSplit(y, 0.25, 1);
    const yTrain = Int32Array.from(split.train, (i) => y[i]!);
    const yTest = Int32Array.from(split.test, (i) => y[i]!);
    const model = fitLogistic(selectRows(X, split.train), yTrain, meta.classes, { C: 1 });
    const yPred = predictClasses(model, selectRows(X, split.test));
    const report = classificationReport(yTest, yPred, meta.classes);
    t.diagnostic(`accuracy ${report.accuracy.toFixed(4)}, macro-F1 ${report.macro.f1.toFixed(4)}`);

    // The dataset's reference: scikit-learn's logistic regression reaches macro-F1 0.85 on a held-out quarter.
    assert.ok(report.macro.f1 > 0.83, `macro-F1 ${report.macro.f1}`);
    assert.ok(report.accuracy > 0.84, `accuracy ${report.accuracy}`);
    for (let k = 0; k < meta.classes; k++)
      assert.ok(report.perClass.f1[k]! > 0.7, `class ${k} F1 ${report.perClass.f1[k]}`);
    const intervals = bootstrapIntervals(yTest, yPred, meta.classes, { resamples: 1000, seed: 1 });
    assert.ok(intervals.macroF1[0] < report.macro.f1 && report.macro.f1 < intervals.macroF1[1]);
    assert.ok(intervals.macroF1[1] - intervals.macroF1[0] < 0.03, `interval ${intervals.macroF1}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
