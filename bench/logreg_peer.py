"""scikit-learn side of bench/logreg.ts.

  logreg_peer.py features DIR   TF-IDF (min_df=2) of the real IT tickets and a stratified 75/25 split,
                                written to DIR as raw little-endian arrays plus meta.json, so the
                                TypeScript side fits on exactly the same features.
  logreg_peer.py fit DIR --C C --max-iter M --tol T
                                one timed lbfgs LogisticRegression fit on DIR's training rows; prints
                                one JSON line with wall and CPU time (all threads), iterations and
                                held-out accuracy.
Feature building and fitting are separate so the caller can interleave the two sides' fits.
"""

import argparse
import csv
import gzip
import json
import os
import time

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

TICKETS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "it-service-tickets", "tickets.csv.gz")


def write_features(out_dir):
    with gzip.open(TICKETS, "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    classes, y = np.unique([row["Topic_group"] for row in rows], return_inverse=True)
    X = TfidfVectorizer(min_df=2).fit_transform([row["Document"] for row in rows]).tocsr()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    for name, m, labels in (("train", X_train, y_train), ("test", X_test, y_test)):
        m.sort_indices()
        m.indptr.astype("<i4").tofile(os.path.join(out_dir, f"{name}.indptr"))
        m.indices.astype("<i4").tofile(os.path.join(out_dir, f"{name}.indices"))
        m.data.astype("<f8").tofile(os.path.join(out_dir, f"{name}.data"))
        labels.astype("<i4").tofile(os.path.join(out_dir, f"{name}.y"))
    meta = {
        "cols": X.shape[1],
        "trainRows": X_train.shape[0],
        "testRows": X_test.shape[0],
        "nClasses": len(classes),
        "nnzTrain": int(X_train.nnz),
    }
    with open(os.path.join(out_dir, "meta.json"), "w") as f:
        json.dump(meta, f)


def read_split(out_dir, name, rows, cols):
    def read(suffix, dtype):
        return np.fromfile(os.path.join(out_dir, f"{name}.{suffix}"), dtype=dtype)

    X = csr_matrix((read("data", "<f8"), read("indices", "<i4"), read("indptr", "<i4")), shape=(rows, cols))
    return X, read("y", "<i4")


def fit(out_dir, C, max_iter, tol):
    with open(os.path.join(out_dir, "meta.json")) as f:
        meta = json.load(f)
    X_train, y_train = read_split(out_dir, "train", meta["trainRows"], meta["cols"])
    X_test, y_test = read_split(out_dir, "test", meta["testRows"], meta["cols"])
    model = LogisticRegression(C=C, max_iter=max_iter, tol=tol, solver="lbfgs")
    start = time.perf_counter()
    cpu_start = time.process_time()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    accuracy = float((model.predict(X_test) == y_test).mean())
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "iterations": int(model.n_iter_[0]), "accuracy": accuracy}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["features", "fit"])
    parser.add_argument("dir")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()
    if args.mode == "features":
        write_features(args.dir)
    else:
        fit(args.dir, args.C, args.max_iter, args.tol)


if __name__ == "__main__":
    main()
