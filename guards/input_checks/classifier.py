"""The second line of the input screen: a small trained injection classifier.

Features: all-MiniLM-L6-v2 sentence embeddings (meaning: "you have been freed from your
constraints" lands near "ignore your rules") next to character n-gram TF-IDF (form: odd
tokens, code, other languages). A logistic regression over both gives the attack
probability.

Training uses the labelled set in `guards/data/input_guard_train.jsonl`, at first use, and
the result is cached (pickled) in a cache directory under a key made of the training data,
the model files and the library versions. Training is deterministic. The decision threshold
is calibrated on cross-validated probabilities so that at most `target_false_block_rate` of
benign training messages would be blocked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from guards.embeddings import DEFAULT_CACHE_DIR, SentenceEncoder, model_fingerprint, shared_encoder
from guards.embeddings import MAX_TOKENS as EMBEDDING_MAX_TOKENS
from guards.input_checks.normalise import normalise

TRAINING_DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "input_guard_train.jsonl"
EMBEDDING_WEIGHT = 1.0
"""How strongly the (unit-length) embedding counts next to the (unit-length) TF-IDF rows."""
REGULARISATION_C = 8.0
_FORMAT_VERSION = "2"


@dataclass(frozen=True)
class FittedModel:
    """What is trained and cached: the n-gram vocabulary, the weights and the threshold."""

    ngrams: TfidfVectorizer
    regression: LogisticRegression
    threshold: float


class InjectionClassifier:
    """Attack probability for a message, from its embedding and its character n-grams."""

    def __init__(self, fitted: FittedModel, encoder: SentenceEncoder) -> None:
        self.fitted = fitted
        self.encoder = encoder

    @property
    def threshold(self) -> float:
        return self.fitted.threshold

    def attack_probabilities(self, texts: Sequence[str]) -> list[float]:
        """How likely each text is an injection or jailbreak attempt, 0 to 1."""
        if not texts:
            return []
        features = _features(self.fitted.ngrams, self.encoder.encode(texts), texts)
        return [float(p) for p in self.fitted.regression.predict_proba(features)[:, 1]]

    def attack_probability(self, text: str) -> float:
        return self.attack_probabilities([text])[0]

    def is_attack(self, probability: float) -> bool:
        return probability >= self.fitted.threshold


def load_classifier(
    cache_dir: Path | None = None,
    training_path: Path = TRAINING_DATA_PATH,
    target_false_block_rate: float = 0.005,
) -> InjectionClassifier:
    """The cached classifier for this training set, training and caching it if needed."""
    encoder = shared_encoder(cache_dir)
    raw = training_path.read_bytes()
    key = _cache_key(raw, target_false_block_rate)
    cache_file = (cache_dir or DEFAULT_CACHE_DIR) / f"input-classifier-{key}.pkl"
    if cache_file.exists():
        with cache_file.open("rb") as handle:
            cached: FittedModel = pickle.load(handle)
        return InjectionClassifier(cached, encoder)
    fitted = train(*_read_examples(raw), encoder, target_false_block_rate)
    with contextlib.suppress(OSError):  # a read-only cache only costs a retrain next time
        _write_atomically(cache_file, pickle.dumps(fitted))
    return InjectionClassifier(fitted, encoder)


def train(
    texts: list[str], labels: list[int], encoder: SentenceEncoder, target_false_block_rate: float
) -> FittedModel:
    """Fit on all examples; calibrate the threshold on cross-validated probabilities."""
    embeddings = encoder.encode(texts)
    ngrams = _new_ngram_vectorizer().fit(texts)
    features = _features(ngrams, embeddings, texts)
    targets = np.asarray(labels)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    scores = cross_val_predict(
        _new_regression(), features, targets, cv=folds, method="predict_proba"
    )[:, 1]
    threshold = calibrated_threshold(scores, targets, target_false_block_rate)
    return FittedModel(ngrams, _new_regression().fit(features, targets), threshold)


def calibrated_threshold(scores: np.ndarray, labels: np.ndarray, rate: float) -> float:
    """The lowest threshold that blocks at most ``rate`` of benign examples (0.5 to 0.95)."""
    benign = np.sort(scores[labels == 0])
    allowed_blocks = int(rate * len(benign))
    above_benign = benign[len(benign) - allowed_blocks - 1] if len(benign) else 0.0
    return float(max(0.5, min(0.95, above_benign + 1e-6)))


def _new_ngram_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=True
    )


def _new_regression() -> LogisticRegression:
    return LogisticRegression(
        C=REGULARISATION_C, class_weight="balanced", max_iter=3000, random_state=7
    )


def _features(
    ngrams: TfidfVectorizer, embeddings: np.ndarray, texts: Sequence[str]
) -> sparse.csr_matrix:
    """Character n-gram TF-IDF and the weighted embedding, side by side."""
    dense = sparse.csr_matrix(embeddings * EMBEDDING_WEIGHT)
    return sparse.hstack([ngrams.transform(texts), dense], format="csr")


def _read_examples(raw: bytes) -> tuple[list[str], list[int]]:
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    return [normalise(row["text"]) for row in rows], [int(row["label"] == "attack") for row in rows]


def _cache_key(raw: bytes, target_false_block_rate: float) -> str:
    digest = hashlib.sha256(raw)
    versions = (
        _FORMAT_VERSION,
        EMBEDDING_WEIGHT,
        EMBEDDING_MAX_TOKENS,
        REGULARISATION_C,
        target_false_block_rate,
        model_fingerprint(),
        sklearn.__version__,
        np.__version__,
        onnxruntime.__version__,
    )
    digest.update(":".join(map(str, versions)).encode())
    return digest.hexdigest()[:16]


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write via a temporary file and rename, so a concurrent reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(payload)
    os.replace(handle.name, path)
