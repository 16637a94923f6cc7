"""The topical rail: is the customer asking for customer support at all?

Requests outside the company's business (write code, politics, trivia, poems) get a short,
polite redirect decided before the model runs, as NeMo Guardrails' topical rails and
Intercom Fin keep their bots on topic. A logistic regression over the shared MiniLM
embeddings, trained once on `guards/data/scope_train.jsonl` and cached beside the encoder
export, decides; very short messages ("hello?", "ok") are always the customer's to make.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from guards.embeddings import DEFAULT_CACHE_DIR, SentenceEncoder, model_fingerprint
from guards.model_cache import cache_key, cached
from guards.verdict import Verdict

SCOPE_TRAINING_PATH = Path(__file__).parent / "data" / "scope_train.jsonl"
OUT_OF_SCOPE_THRESHOLD = 0.7
"""Probability above which a message is redirected: high, since redirecting a real customer
costs more than letting the model politely decline an odd request."""
MIN_WORDS = 3


class ScopeCheck:
    """Text in, a verdict out: allowed when the message is a support request."""

    name = "scope"

    def __init__(
        self,
        encoder: SentenceEncoder,
        cache_dir: Path | None = None,
        training_path: Path = SCOPE_TRAINING_PATH,
    ):
        self.encoder = encoder
        raw = training_path.read_bytes()
        key = cache_key(raw, model_fingerprint(), sklearn.__version__, "scope-1")
        path = (cache_dir or DEFAULT_CACHE_DIR) / f"scope-{key}.pkl"
        self.regression = cached(path, lambda: _fit(raw, encoder))

    def out_of_scope_probability(self, text: str) -> float:
        if len(text.split()) < MIN_WORDS:
            return 0.0
        return float(self.regression.predict_proba(self.encoder.encode([text]))[0, 1])

    def check(self, text: str) -> Verdict:
        score = self.out_of_scope_probability(text)
        if score >= OUT_OF_SCOPE_THRESHOLD:
            return Verdict(False, text, ("scope:out_of_scope",), score, "out_of_scope")
        return Verdict(True, text, (), score)


def _fit(raw: bytes, encoder: SentenceEncoder) -> LogisticRegression:
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    labels = np.array([row["label"] == "out_of_scope" for row in rows])
    regression = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    return regression.fit(encoder.encode([row["text"] for row in rows]), labels)
