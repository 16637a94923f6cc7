"""The second line of the input screen: a small trained injection classifier.

Features: all-MiniLM-L6-v2 sentence embeddings (meaning: "you have been freed from your
constraints" lands near "ignore your rules") next to character n-gram TF-IDF (form: odd
tokens, code, other languages). A logistic regression over both gives the attack
probability. Beside it, the nearest training examples vote: a message much closer to known
attacks than to known customer messages scores higher. This catches phrasings the
regression has not generalised to, and keeps customers who sound like customers safe.

Training uses the labelled set in `guards/data/input_guard_train.jsonl`, at first use, and
the result is cached (pickled) in a cache directory under a key made of the data, the model
files and the library versions. Training is deterministic. The decision threshold is set on
a separate calibration set (`input_guard_calibration.jsonl`: messages written apart from the
training set) so that at most `target_false_block_rate` of its customer messages are blocked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import onnxruntime
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from guards.embeddings import DEFAULT_CACHE_DIR, SentenceEncoder, model_fingerprint, shared_encoder
from guards.embeddings import MAX_TOKENS as EMBEDDING_MAX_TOKENS
from guards.input_checks.normalise import normalise

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TRAINING_DATA_PATH = DATA_DIR / "input_guard_train.jsonl"
CALIBRATION_DATA_PATH = DATA_DIR / "input_guard_calibration.jsonl"
MIN_CLASSIFIED_WORDS = 5
"""Shorter messages carry too little for the classifier; the rules judge them alone."""
NEIGHBOURS = 3
NEIGHBOUR_WEIGHT = 4.0
"""How much "closer to attacks than to customers" (a cosine difference) adds to the score."""
EMBEDDING_WEIGHT = 1.0
"""How strongly the (unit-length) embedding counts next to the (unit-length) TF-IDF rows."""
REGULARISATION_C = 8.0
_FORMAT_VERSION = "3"


@dataclass(frozen=True)
class FittedModel:
    """What is trained and cached: the n-gram vocabulary, the weights, the training vectors
    the neighbours are found among (float16: half the size, the same neighbours), the
    threshold."""

    ngrams: TfidfVectorizer
    regression: LogisticRegression
    attack_vectors: np.ndarray
    benign_vectors: np.ndarray
    threshold: float


class InjectionClassifier:
    """Attack score for a message, from its embedding, its character n-grams and its
    nearest training examples."""

    def __init__(self, fitted: FittedModel, encoder: SentenceEncoder) -> None:
        self.fitted = fitted
        self.encoder = encoder
        self._attacks = fitted.attack_vectors.astype(np.float32)
        self._benign = fitted.benign_vectors.astype(np.float32)

    @property
    def threshold(self) -> float:
        return self.fitted.threshold

    def attack_probabilities(self, texts: Sequence[str]) -> list[float]:
        """How much each text looks like an injection or jailbreak attempt, 0 to 1."""
        if not texts:
            return []
        embeddings = self.encoder.encode(texts)
        features = _features(self.fitted.ngrams, embeddings, texts)
        probabilities = self.fitted.regression.predict_proba(features)[:, 1]
        nearness = _nearest_mean(embeddings, self._attacks) - _nearest_mean(
            embeddings, self._benign
        )
        scores = np.clip(probabilities + NEIGHBOUR_WEIGHT * nearness, 0.0, 1.0)
        return [float(score) for score in scores]

    def attack_probability(self, text: str) -> float:
        return self.attack_probabilities([text])[0]

    def is_attack(self, probability: float) -> bool:
        return probability >= self.fitted.threshold


def load_classifier(
    cache_dir: Path | None = None,
    training_path: Path = TRAINING_DATA_PATH,
    target_false_block_rate: float = 0.0075,
    calibration_path: Path = CALIBRATION_DATA_PATH,
) -> InjectionClassifier:
    """The cached classifier for this training set, training and caching it if needed."""
    encoder = shared_encoder(cache_dir)
    raw, calibration = training_path.read_bytes(), calibration_path.read_bytes()
    key = _cache_key(raw + calibration, target_false_block_rate)
    cache_file = (cache_dir or DEFAULT_CACHE_DIR) / f"input-classifier-{key}.pkl"
    if cache_file.exists():
        with cache_file.open("rb") as handle:
            cached: FittedModel = pickle.load(handle)
        return InjectionClassifier(cached, encoder)
    fitted = train(*_read_examples(raw), encoder)
    classifier = InjectionClassifier(fitted, encoder)
    fitted = calibrate(classifier, _read_examples(calibration), target_false_block_rate)
    with contextlib.suppress(OSError):  # a read-only cache only costs a retrain next time
        _write_atomically(cache_file, pickle.dumps(fitted))
    return InjectionClassifier(fitted, encoder)


def train(texts: list[str], labels: list[int], encoder: SentenceEncoder) -> FittedModel:
    """Fit on all examples (the threshold is set afterwards, by `calibrate`)."""
    embeddings = encoder.encode(texts)
    ngrams = _new_ngram_vectorizer().fit(texts)
    targets = np.asarray(labels)
    regression = _new_regression().fit(_features(ngrams, embeddings, texts), targets)
    attacks, benign = embeddings[targets == 1], embeddings[targets == 0]
    return FittedModel(
        ngrams, regression, attacks.astype(np.float16), benign.astype(np.float16), 0.5
    )


def calibrate(
    classifier: InjectionClassifier, examples: tuple[list[str], list[int]], rate: float
) -> FittedModel:
    """The model with the threshold that blocks at most ``rate`` of the calibration set's
    customer messages (those long enough to be classified)."""
    texts, labels = examples
    benign = [t for t, label in zip(texts, labels, strict=True) if label == 0 and classified(t)]
    scores = np.asarray(classifier.attack_probabilities(benign))
    return replace(classifier.fitted, threshold=calibrated_threshold(scores, rate))


def classified(text: str) -> bool:
    """Whether ``text`` is long enough for the classifier to judge."""
    return len(text.split()) >= MIN_CLASSIFIED_WORDS


def calibrated_threshold(benign_scores: np.ndarray, rate: float) -> float:
    """The lowest threshold that blocks at most ``rate`` of ``benign_scores`` (0.3 to 0.95)."""
    benign = np.sort(benign_scores)
    allowed_blocks = int(rate * len(benign))
    above_benign = benign[len(benign) - allowed_blocks - 1] if len(benign) else 0.0
    return float(max(0.3, min(0.95, above_benign + 1e-6)))


def _nearest_mean(embeddings: np.ndarray, examples: np.ndarray) -> np.ndarray:
    """Per embedding, the mean cosine similarity of its `NEIGHBOURS` nearest examples."""
    similarities = embeddings @ examples.T
    nearest = np.partition(similarities, -NEIGHBOURS, axis=1)[:, -NEIGHBOURS:]
    return np.asarray(nearest.mean(axis=1))


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
        NEIGHBOURS,
        NEIGHBOUR_WEIGHT,
        MIN_CLASSIFIED_WORDS,
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
