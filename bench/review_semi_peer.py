"""Semi-supervised candidates for the router, screened with scikit-learn on one replay step's dump.

  review_semi_peer.py DUMP VARIANT[,VARIANT...]

DUMP is one step's file from `bench/review-replay.ts --dump DIR` (see review_peer.py). Every variant
fits TF-IDF on the router's tokens of every ticket not held out (min_df 2, max_df 0.95) and a logistic
regression (C 10, balanced class weights) on every label given (what the served router trains on), and
prints one JSON line: macro-F1 over all true classes on the held-out tickets nobody labelled. Variants:

  base                      the router on people's labels alone
  self:T:W[:R[:u]]          self-training: R rounds (1) of refitting on the labels plus every unlabelled
                            training ticket the router gives a class with probability >= T, at weight W
                            capped so they weigh no more than people's labels together (u: uncapped)
  lsa:K[:S] / nmf:K[:S]     TruncatedSVD / NMF (K components, fitted on every ticket, labelled or not),
                            L2-normalised and scaled by S (1), as features next to TF-IDF
  spread:K:A:T:SPACE        scikit-learn's LabelSpreading (knn, K neighbours, alpha A) on the TF-IDF rows
                            (SPACE tfidf) or on LSA-100 (lsa); tickets whose top class holds >= T train at
                            weight 0.1, capped as train's spreading is
  selfcv:T1/T2/...           self-training (one round, capped) at the threshold 4-fold cross-validation on
                            people's labels chooses among T1, T2, ... and off (ties to off), as train
                            chooses spreading
  nb / emnb:L               multinomial naive Bayes on counts; with EM over the unlabelled tickets
                            (Nigam et al. 2000), 5 rounds, unlabelled weight L
"""

import json
import sys
import time

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import MultinomialNB
from sklearn.preprocessing import normalize
from sklearn.semi_supervised import LabelSpreading

rows = [json.loads(line) for line in open(sys.argv[1])]
classes = sorted({r["truth"] for r in rows})
index = {c: k for k, c in enumerate(classes)}
y = np.array([index[r["truth"]] for r in rows])
role = np.array([r["role"] for r in rows])
given = np.array([r["label"] for r in rows])
docs = [" ".join(r["tokens"]) for r in rows]
held = np.flatnonzero((role == "held") & (given < 0))
labelled = np.flatnonzero(given >= 0)
unlabelled = np.flatnonzero((given < 0) & (role != "held"))
fit_docs = np.flatnonzero(role != "held")
vectorizer = TfidfVectorizer(min_df=2, max_df=0.95, token_pattern=r"\S+").fit([docs[i] for i in fit_docs])
x = vectorizer.transform(docs)
components = {}


def reduced(kind, k):
    if (kind, k) not in components:
        model = NMF(k, init="nndsvd", max_iter=200, random_state=0) if kind == "nmf" else TruncatedSVD(k, random_state=0)
        components[(kind, k)] = normalize(model.fit_transform(x))
    return components[(kind, k)]


def router(features, at, labels, weights=None):
    return LogisticRegression(C=10, class_weight="balanced", max_iter=2000).fit(
        features[at], labels, sample_weight=weights)


def macro_f1(predicted):
    return round(f1_score(y[held], predicted, average="macro", labels=np.arange(len(classes)), zero_division=0), 4)


def with_guesses(features, rows, guesses, weight, capped=True):
    """The router on people's labels plus guessed ones at `weight`, capped at people's total weight."""
    w = min(weight, len(labelled) / max(1, len(rows))) if capped else weight
    return router(features, np.concatenate([labelled, rows]), np.concatenate([y[labelled], guesses]),
                  np.concatenate([np.ones(len(labelled)), np.full(len(rows), w)]))


def run(variant):
    kind, *p = variant.split(":")
    extra = {}
    if kind == "base":
        predicted = router(x, labelled, y[labelled]).predict(x[held])
    elif kind in ("lsa", "nmf"):
        scale = float(p[1]) if len(p) > 1 else 1.0
        features = sparse.hstack([x, sparse.csr_matrix(reduced(kind, int(p[0])) * scale)]).tocsr()
        predicted = router(features, labelled, y[labelled]).predict(features[held])
    elif kind == "self":
        threshold, weight = float(p[0]), float(p[1])
        rounds, capped = (int(p[2]) if len(p) > 2 else 1), not (len(p) > 3 and p[3] == "u")
        model = router(x, labelled, y[labelled])
        for _ in range(rounds):
            proba = model.predict_proba(x[unlabelled])
            sure = proba.max(1) >= threshold
            rows, guesses = unlabelled[sure], proba[sure].argmax(1)
            model = with_guesses(x, rows, guesses, weight, capped)
        predicted = model.predict(x[held])
        extra = {"guessed": int(len(rows)), "guessesRight": round(float((guesses == y[rows]).mean()), 3)}
    elif kind == "selfcv":
        candidates = [None] + [float(t) for t in p[0].split("/")]
        folds = StratifiedKFold(4, shuffle=True, random_state=0).split(labelled, y[labelled])
        out = {c: np.zeros(len(labelled), dtype=int) for c in candidates}
        for seen, scored in folds:
            seeds = labelled[seen]
            model = router(x, seeds, y[seeds])
            proba = model.predict_proba(x[unlabelled])
            for c in candidates:
                if c is None:
                    out[c][scored] = model.predict(x[labelled[scored]])
                    continue
                sure = proba.max(1) >= c
                rows = unlabelled[sure]
                w = min(1.0, len(seeds) / max(1, len(rows)))
                refit = router(x, np.concatenate([seeds, rows]), np.concatenate([y[seeds], proba[sure].argmax(1)]),
                               np.concatenate([np.ones(len(seeds)), np.full(len(rows), w)]))
                out[c][scored] = refit.predict(x[labelled[scored]])
        cv = {str(c): round(f1_score(y[labelled], out[c], average="macro"), 4) for c in candidates}
        chosen = max(candidates, key=lambda c: (cv[str(c)], c is None))
        model = router(x, labelled, y[labelled])
        if chosen is not None:
            proba = model.predict_proba(x[unlabelled])
            sure = proba.max(1) >= chosen
            model = with_guesses(x, unlabelled[sure], proba[sure].argmax(1), 1.0)
        predicted = model.predict(x[held])
        extra = {"cvMacroF1": cv, "chosen": chosen}
    elif kind == "spread":
        k, alpha, threshold, space = int(p[0]), float(p[1]), float(p[2]), p[3]
        points = reduced("lsa", 100) if space == "lsa" else x
        seeds = np.full(len(rows), -1)
        seeds[labelled] = y[labelled]
        spreading = LabelSpreading(kernel="knn", n_neighbors=k, alpha=alpha, max_iter=30).fit(
            points[fit_docs], seeds[fit_docs])
        scores = spreading.label_distributions_
        took = (seeds[fit_docs] < 0) & (scores.max(1) >= threshold)
        rows, guesses = fit_docs[took], scores[took].argmax(1)
        predicted = with_guesses(x, rows, guesses, 0.1).predict(x[held])
        extra = {"guessed": int(len(rows)), "guessesRight": round(float((guesses == y[rows]).mean()), 3)}
    elif kind in ("nb", "emnb"):
        counts = CountVectorizer(min_df=2, max_df=0.95, token_pattern=r"\S+").fit([docs[i] for i in fit_docs])
        c = counts.transform(docs)
        model = MultinomialNB(alpha=0.1).fit(c[labelled], y[labelled])
        for _ in range(5 if kind == "emnb" else 0):
            proba = model.predict_proba(c[unlabelled])
            n = proba.shape[1]
            model = MultinomialNB(alpha=0.1).fit(
                sparse.vstack([c[labelled]] + [c[unlabelled]] * n),
                np.concatenate([y[labelled]] + [np.full(len(unlabelled), k) for k in range(n)]),
                sample_weight=np.concatenate([np.ones(len(labelled))] + [float(p[0]) * proba[:, k] for k in range(n)]))
        predicted = model.predict(c[held])
    else:
        raise SystemExit(f"unknown variant {variant}")
    return {"macroF1": macro_f1(predicted), **extra}


for variant in sys.argv[2].split(","):
    started = time.time()
    print(json.dumps({"dump": sys.argv[1].split("/")[-1], "variant": variant, "labels": int(len(labelled)),
                      **run(variant), "seconds": round(time.time() - started)}), flush=True)
