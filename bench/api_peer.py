"""The seed-shaped peer of `inflow serve` for bench/api.ts: FastAPI + uvicorn (one worker) serving the
same TF-IDF + logistic-regression model in scikit-learn.

The model's parameters (vocabulary, idf, n-gram range, weights, intercepts, taxonomy) are read from
the JSON that bench/api.ts exports from Inflow's fixture model, so both services hold the identical
model. Preprocessing is the light kind a Python service does per request (lower-case, drop words with
digits, letter tokens, scikit-learn's analyzer): no POS tagging or lemmatization, so the peer does
less work per ticket than Inflow does.

Run: API_PEER_MODEL=params.json .venv/bin/python -m uvicorn api_peer:app --app-dir bench --workers 1
"""

import json
import os
import re
from typing import Union

import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

with open(os.environ["API_PEER_MODEL"], encoding="utf-8") as f:
    params = json.load(f)

DIGIT_WORDS = re.compile(r"\w*\d\w*")


def clean(text: str) -> str:
    return DIGIT_WORDS.sub(" ", text.lower())


# A model whose router reads surface words (src/classify/router-input.ts): lower-cased runs of two or
# more letters, digits or underscores, as Inflow reads them.
words = params.get("analyzer") == "words"
vectorizer = TfidfVectorizer(
    vocabulary=params["vocabulary"],
    ngram_range=(params["ngramMin"], params["ngramMax"]),
    sublinear_tf=params["sublinearTf"],
    norm="l2",
    preprocessor=str.lower if words else clean,
    token_pattern=r"(?u)\w{2,}" if words else r"(?u)\b[^\W\d_]{2,}\b",
)
vectorizer.fit([""])
vectorizer.idf_ = np.asarray(params["idf"], dtype=np.float64)
n_classes = len(params["classTopics"])
classifier = LogisticRegression()
classifier.coef_ = np.asarray(params["weights"], dtype=np.float64).reshape(n_classes, -1)
classifier.intercept_ = np.asarray(params["intercept"], dtype=np.float64)
classifier.classes_ = np.arange(n_classes)
vocabulary = np.asarray(params["vocabulary"], dtype=object)
topics = {t["id"]: t for t in params["topics"]}
review_threshold = params["reviewThreshold"]
version = params["version"]


class Ticket(BaseModel):
    id: Union[str, int]
    text: str


class Term(BaseModel):
    term: str
    weight: float


class Prediction(BaseModel):
    id: Union[str, int]
    topic_id: int
    topic: str
    department: str
    confidence: float
    needs_review: bool
    explanation: list[Term]
    model_version: str


app = FastAPI()


@app.get("/api/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/api/predict")
def predict(tickets: list[Ticket]) -> list[Prediction]:
    x = vectorizer.transform([t.text for t in tickets])
    proba = classifier.predict_proba(x)
    result = []
    for i, ticket in enumerate(tickets):
        best = int(proba[i].argmax())
        row = x.getrow(i)
        contributions = row.data * classifier.coef_[best, row.indices]
        order = np.argsort(-contributions)[:5]
        topic_id = params["classTopics"][best]
        topic = topics.get(topic_id, {"name": f"topic {topic_id}", "department": "Unrouted"})
        result.append(
            Prediction(
                id=ticket.id,
                topic_id=topic_id,
                topic=topic["name"],
                department=topic["department"],
                confidence=float(proba[i, best]),
                needs_review=bool(proba[i, best] < review_threshold),
                explanation=[
                    Term(term=vocabulary[row.indices[j]], weight=float(contributions[j]))
                    for j in order
                    if contributions[j] > 0
                ],
                model_version=version,
            )
        )
    return result
