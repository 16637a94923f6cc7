"""The second line of the input screen: a small trained injection classifier.

Character n-gram and word TF-IDF features into a logistic regression, trained on the labelled
set shipped in `guards/data/input_guard_train.jsonl` the first time it is needed and cached
(pickled) under a cache directory, keyed by a hash of the training data and library
versions. Training is deterministic. The decision threshold is calibrated with
cross-validated scores so that at most `target_false_block_rate` of benign training
messages would be blocked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from guards.input_checks.normalise import normalise

TRAINING_DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "input_guard_train.jsonl"
_FORMAT_VERSION = "1"


def default_cache_dir() -> Path:
    """``$GUARDCHAT_CACHE_DIR`` or ``$XDG_CACHE_HOME/guardchat`` (``~/.cache/guardchat``)."""
    explicit = os.environ.get("GUARDCHAT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "guardchat"


@dataclass(frozen=True)
class InjectionClassifier:
    """A fitted pipeline and the calibrated probability above which a message is an attack."""

    pipeline: Pipeline
    threshold: float

    def attack_probability(self, text: str) -> float:
        """How likely ``text`` is an injection or jailbreak attempt, 0 to 1."""
        return float(self.pipeline.predict_proba([text])[0, 1])

    def is_attack(self, probability: float) -> bool:
        return probability >= self.threshold


def load_classifier(
    cache_dir: Path | None = None,
    training_path: Path = TRAINING_DATA_PATH,
    target_false_block_rate: float = 0.005,
) -> InjectionClassifier:
    """The cached classifier for this training set, training and caching it if needed."""
    raw = training_path.read_bytes()
    cache_file = (cache_dir or default_cache_dir()) / f"input-classifier-{_cache_key(raw)}.pkl"
    if cache_file.exists():
        with cache_file.open("rb") as handle:
            cached: InjectionClassifier = pickle.load(handle)
            return cached
    classifier = train_classifier(*_read_examples(raw), target_false_block_rate)
    with contextlib.suppress(OSError):  # a read-only cache only costs a retrain next time
        _write_atomically(cache_file, pickle.dumps(classifier))
    return classifier


def train_classifier(
    texts: list[str], labels: list[int], target_false_block_rate: float
) -> InjectionClassifier:
    """Fit the pipeline on all examples; calibrate the threshold on cross-validated scores."""
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=7)
    scores = cross_val_predict(_new_pipeline(), texts, labels, cv=folds, method="predict_proba")[
        :, 1
    ]
    threshold = _calibrated_threshold(scores, np.asarray(labels), target_false_block_rate)
    pipeline = _new_pipeline().fit(texts, labels)
    return InjectionClassifier(pipeline=pipeline, threshold=threshold)


def _new_pipeline() -> Pipeline:
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True),
    )
    model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=2000, random_state=7)
    return make_pipeline(features, model)


def _calibrated_threshold(scores: np.ndarray, labels: np.ndarray, rate: float) -> float:
    """The lowest threshold that blocks at most ``rate`` of benign examples (never below 0.5)."""
    benign = np.sort(scores[labels == 0])
    allowed_blocks = int(rate * len(benign))
    above_benign = benign[len(benign) - allowed_blocks - 1] if len(benign) else 0.0
    return float(max(0.5, min(0.95, above_benign + 1e-6)))


def _read_examples(raw: bytes) -> tuple[list[str], list[int]]:
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    return [normalise(row["text"]) for row in rows], [int(row["label"] == "attack") for row in rows]


def _cache_key(raw: bytes) -> str:
    digest = hashlib.sha256(raw)
    digest.update(f"{_FORMAT_VERSION}:{sklearn.__version__}:{np.__version__}".encode())
    return digest.hexdigest()[:16]


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write via a temporary file and rename, so a concurrent reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(payload)
    os.replace(handle.name, path)
