"""scikit-learn side of bench/review-replay.ts: where a router trained on people's labels loses macro-F1.

  review_peer.py DUMP [--self-training]
  review_peer.py CORPUS --per-class N [--self-training]

DUMP is one step's file from `bench/review-replay.ts --dump DIR` (one JSON line per ticket: id, true
class, the label the simulated reviewer gave, its role in Inflow's router: `train` trained on a
person's label, `held` scored; text; the router's tokens; every word's lemma). On exactly that split
and those labels it fits TF-IDF (on every ticket not held out, as train does) + logistic regression,
first as Inflow's router does (its tokens, min_df 2, max_df 0.95, C 10, balanced class weights, only
the labels train kept after holding a share out), then with one piece swapped at a time, and prints
one JSON line each: macro-F1 over all true classes (a class never predicted scores 0) on the held-out
tickets nobody labelled (bench:review also scores the people's labels train held out, and maps router
classes to true ones; with people's classes that mapping is all but the identity).
--self-training adds scikit-learn's SelfTrainingClassifier (threshold 0.75) variants: slow.

CORPUS (bench/review-features.ts, no roles) gets a split of its own, the issue's reference protocol:
stratified 80/20 (classes with at least 5 rows), N random labels per class from the 80% (all when 0,
as many as there are when fewer); "labels kept after the hold-out" is then the first 80% of each
class's labels (at least one), what train keeps.
"""

import argparse
import json
import time
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.semi_supervised import SelfTrainingClassifier

# Inflow's router at train's defaults once people's classes are in force.
ROUTER = {"features": "tokens", "C": 10.0, "class_weight": "balanced", "min_df": 2, "max_df": 0.95,
          "ngram_max": 1, "labels": "trained", "self_training": None}

VARIANTS = [
    ("inflow router (its tokens, labels kept after the hold-out)", {}),
    ("every label given (no hold-out)", {"labels": "given"}),
    ("raw text (scikit-learn's tokenizer, every word incl. function words)", {"features": "text"}),
    ("every word's lemma (no POS filter, stop words dropped)", {"features": "words"}),
    ("raw text, every label given", {"features": "text", "labels": "given"}),
    ("C = 1", {"C": 1.0}),
    ("C = 100", {"C": 100.0}),
    ("no class weights", {"class_weight": None}),
    ("min_df 1", {"min_df": 1}),
    ("word bigrams", {"ngram_max": 2}),
]
SELF_TRAINING = [
    ("self-training 0.75", {"self_training": 0.75}),
    ("the issue's protocol: raw text, every label given, self-training 0.75",
     {"features": "text", "labels": "given", "self_training": 0.75}),
]


def own_split(rows, per_class):
    """The reference protocol's split and labels, as roles like a replay dump's."""
    counts = Counter(r["truth"] for r in rows)
    rows = [r for r in rows if counts[r["truth"]] >= 5]
    truth = np.array([r["truth"] for r in rows])
    train, _ = train_test_split(np.arange(len(rows)), test_size=0.2, stratify=truth, random_state=0)
    rng = np.random.RandomState(0)
    for r in rows:
        r["role"], r["label"] = "held", -1
    for r in (rows[i] for i in train):
        r["role"] = "-"
    for c in sorted(counts):
        at = train[truth[train] == c]
        chosen = rng.choice(at, min(per_class, len(at)) if per_class else len(at), replace=False)
        kept = max(1, int(round(len(chosen) * 0.8)))
        for k, i in enumerate(chosen):
            rows[i]["label"] = 0
            rows[i]["role"] = "train" if k < kept else "held"
    return rows


def load(path, per_class):
    rows = [json.loads(line) for line in open(path)]
    if "role" not in rows[0]:
        rows = own_split(rows, per_class)
    classes = sorted({r["truth"] for r in rows})
    index = {c: k for k, c in enumerate(classes)}
    y = np.array([index[r["truth"]] for r in rows])
    role = np.array([r["role"] for r in rows])
    given = np.array([r["label"] for r in rows])
    docs = {
        "text": [r["text"] for r in rows],
        "tokens": [" ".join(r["tokens"]) for r in rows],
        "words": [" ".join(r["words"]) for r in rows],
    }
    return classes, y, role, given, docs


def score(classes, y, role, given, docs, config):
    fit_docs = np.flatnonzero(role != "held")
    # Scored on the held-out tickets nobody labelled, so "every label given" scores on the same rows.
    held = np.flatnonzero((role == "held") & (given < 0))
    labelled = np.flatnonzero(role == "train") if config["labels"] == "trained" else np.flatnonzero(given >= 0)
    features = config["features"]
    vectorizer = TfidfVectorizer(
        min_df=config["min_df"], max_df=config["max_df"], ngram_range=(1, config["ngram_max"]),
        # Inflow's tokens are already terms; raw text gets scikit-learn's default tokenizer.
        token_pattern=r"(?u)\b\w\w+\b" if features == "text" else r"\S+")
    texts = docs[features]
    x_fit = vectorizer.fit_transform([texts[i] for i in fit_docs])
    x_held = vectorizer.transform([texts[i] for i in held])
    model = LogisticRegression(C=config["C"], class_weight=config["class_weight"], max_iter=1000)
    if config["self_training"] is None:
        model.fit(vectorizer.transform([texts[i] for i in labelled]), y[labelled])
    else:
        at = {row: k for k, row in enumerate(fit_docs)}
        partial = np.full(len(fit_docs), -1)
        for i in labelled:
            partial[at[i]] = y[i]
        model = SelfTrainingClassifier(model, threshold=config["self_training"], max_iter=10).fit(x_fit, partial)
    predicted = model.predict(x_held)
    return f1_score(y[held], predicted, average="macro", labels=np.arange(len(classes)), zero_division=0), len(labelled)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dump")
    parser.add_argument("--per-class", type=int, default=10)
    parser.add_argument("--self-training", action="store_true")
    args = parser.parse_args()
    data = load(args.dump, args.per_class)
    for name, change in VARIANTS + (SELF_TRAINING if args.self_training else []):
        started = time.time()
        macro_f1, labels = score(*data, {**ROUTER, **change})
        print(json.dumps({"dump": args.dump.split("/")[-1], "variant": name, "labels": labels,
                          "macroF1": round(macro_f1, 3), "seconds": round(time.time() - started)}), flush=True)


if __name__ == "__main__":
    main()
