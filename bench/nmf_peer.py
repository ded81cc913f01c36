"""scikit-learn side of bench/nmf.ts: TfidfVectorizer + NMF(init="nndsvda", solver="cd") timing.

Usage: nmf_peer.py CORPUS --k K --tol T --max-iter M --min-df D --max-df F --repeat N
CORPUS is either the tickets CSV.gz (header Document,Topic_group) or a text file with one
whitespace-tokenized document per line. Documents are split on whitespace before timing starts, so
both sides time the same work: vectorizing token lists and factorizing. Prints one JSON line.
"""

import argparse
import csv
import gzip
import json
import time

import threadpoolctl
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer


def read_docs(path):
    if path.endswith(".csv.gz"):
        with gzip.open(path, "rt", newline="") as f:
            return [row["Document"].split() for row in csv.DictReader(f)]
    with open(path, encoding="utf8") as f:
        return [line.split() for line in f]


def share_or_count(value):
    number = float(value)
    return number if number <= 1 and "." in value else int(number)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--min-df", default="2")
    parser.add_argument("--max-df", default="0.95")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    docs = read_docs(args.corpus)

    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        vectorizer = TfidfVectorizer(
            analyzer=lambda d: d, min_df=share_or_count(args.min_df), max_df=share_or_count(args.max_df)
        )
        X = vectorizer.fit_transform(docs)
        vectorized = time.perf_counter()
        model = NMF(n_components=args.k, init="nndsvda", solver="cd", tol=args.tol, max_iter=args.max_iter, random_state=0)
        model.fit(X)
        done = time.perf_counter()
        runs.append({"tfidfSeconds": vectorized - start, "nmfSeconds": done - vectorized, "seconds": done - start})
    print(
        json.dumps(
            {
                "rows": X.shape[0],
                "cols": X.shape[1],
                "nnz": int(X.nnz),
                "runs": runs,
                "iterations": int(model.n_iter_),
                "error": float(model.reconstruction_err_),
                # What the peer ran on: its BLAS and OpenMP libraries and their thread counts.
                "threadpools": [
                    {key: pool[key] for key in ("user_api", "internal_api", "version", "num_threads")}
                    for pool in threadpoolctl.threadpool_info()
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
