"""Intent classification over the 27 Bitext intents.

Features: word and character n-gram TF-IDF (robust to typos and terse text) next to MiniLM
sentence embeddings (robust to wording the sample never used), all of the spelling-fixed text.
A multinomial logistic regression on top gives probabilities that are close to calibrated
(cross-validated: `service.evals.routing`).

Training takes a few seconds and is deterministic; the fitted model is cached on disk, keyed by
the training data and the model version, so later loads only read a file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from graphs.routing.dataset import (
    BITEXT_SAMPLE,
    LabelledText,
    category_of_intent,
    load_bitext_sample,
)
from graphs.routing.text import SpellingFixer, fill_placeholders, plain_words
from guards.embeddings import SentenceEncoder, shared_encoder

REMEMBERED_PREDICTIONS = 4096
"""Recent messages' predictions, so a conversation's history is not classified every turn."""
MODEL_VERSION = "intents-v1"  # change whenever features or training change
DEFAULT_CACHE_DIR = Path("var") / "models"


@dataclass(frozen=True)
class IntentPrediction:
    """The most likely Bitext intent of a message."""

    intent: str  # Bitext intent name, e.g. "cancel_order"
    category: str  # Bitext category, e.g. "ORDER"
    confidence: float  # calibrated probability of `intent`, 0..1


class IntentFeatures:
    """Turns texts into one sparse row each: word TF-IDF, char TF-IDF, weighted embedding."""

    embedding_weight = 2.0

    def __init__(
        self, spelling: SpellingFixer, words: TfidfVectorizer, chars: TfidfVectorizer
    ) -> None:
        self._spelling = spelling
        self._words = words
        self._chars = chars

    @classmethod
    def fit(cls, texts: list[str], known_words: set[str]) -> IntentFeatures:
        """Learn the spelling vocabulary and the TF-IDF weights from training texts."""
        spelling = SpellingFixer([fill_placeholders(text) for text in texts], known_words)
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        features = cls(spelling, words, chars)
        cleaned = features.clean(texts)
        words.fit(cleaned)
        chars.fit(cleaned)
        return features

    def clean(self, texts: list[str]) -> list[str]:
        """Placeholders as words, lower case, misspellings fixed."""
        return [self._spelling.fix(fill_placeholders(text)) for text in texts]

    def matrix(self, texts: list[str], encoder: SentenceEncoder) -> sparse.csr_matrix:
        """The feature rows of `texts`."""
        cleaned = self.clean(texts)
        embeddings = encoder.encode(cleaned) * self.embedding_weight
        blocks = [self._words.transform(cleaned), self._chars.transform(cleaned)]
        return sparse.hstack([*blocks, sparse.csr_matrix(embeddings)]).tocsr()


@dataclass
class FittedIntentModel:
    """Everything training produces; what the cache file holds."""

    features: IntentFeatures
    logistic: LogisticRegression
    categories: dict[str, str]


class IntentClassifier:
    """Predicts the Bitext intent and category of a customer message, with a confidence."""

    regularisation_c = 30.0

    def __init__(self, encoder: SentenceEncoder, model: FittedIntentModel) -> None:
        self._encoder = encoder
        self._model = model
        self._remembered: OrderedDict[str, IntentPrediction] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> IntentClassifier:
        """The classifier trained on the shipped Bitext sample, from the cache if there."""
        encoder = shared_encoder(cache_dir)
        cache_file = (cache_dir or DEFAULT_CACHE_DIR) / f"intents-{_training_digest()}.joblib"
        if cache_file.exists():
            return cls(encoder, joblib.load(cache_file))
        classifier = cls.train(load_bitext_sample(), encoder)
        classifier.save(cache_file)
        return classifier

    @classmethod
    def train(
        cls, examples: list[LabelledText], encoder: SentenceEncoder | None = None
    ) -> IntentClassifier:
        """Fit a classifier on `examples` (deterministic: same examples, same model)."""
        encoder = encoder or shared_encoder()
        texts = [example.text for example in examples]
        features = IntentFeatures.fit(texts, plain_words(encoder.vocabulary()))
        logistic = LogisticRegression(C=cls.regularisation_c, max_iter=5000)
        logistic.fit(features.matrix(texts, encoder), [example.intent for example in examples])
        return cls(encoder, FittedIntentModel(features, logistic, category_of_intent(examples)))

    def save(self, path: Path) -> None:
        """Write the fitted model to `path` atomically (a reader never sees half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        joblib.dump(self._model, partial)
        os.replace(partial, path)

    @property
    def encoder(self) -> SentenceEncoder:
        """The sentence encoder, to share when training more classifiers (cross-validation)."""
        return self._encoder

    @property
    def intents(self) -> list[str]:
        """The intents this classifier can predict."""
        return [str(intent) for intent in self._model.logistic.classes_]

    def category_of(self, intent: str) -> str:
        """The Bitext category of an intent ("unknown" for an intent it does not know)."""
        return str(self._model.categories.get(intent, "unknown"))

    def predict(self, text: str) -> IntentPrediction:
        """The most likely intent of one message."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: list[str]) -> list[IntentPrediction]:
        """The most likely intent of each message, in order; messages seen recently (earlier
        turns of a conversation) are not classified again."""
        with self._lock:
            known = {text: self._remembered[text] for text in texts if text in self._remembered}
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            fresh = dict(zip(missing, self._classify(missing), strict=True))
            self._remember(fresh)
            known.update(fresh)
        return [known[text] for text in texts]

    def _classify(self, texts: list[str]) -> list[IntentPrediction]:
        probabilities = self._model.logistic.predict_proba(
            self._model.features.matrix(texts, self._encoder)
        )
        return [self._prediction(row) for row in probabilities]

    def _remember(self, predictions: dict[str, IntentPrediction]) -> None:
        with self._lock:
            self._remembered.update(predictions)
            while len(self._remembered) > REMEMBERED_PREDICTIONS:
                self._remembered.popitem(last=False)

    def _prediction(self, probabilities: np.ndarray) -> IntentPrediction:
        best = int(np.argmax(probabilities))
        intent = str(self._model.logistic.classes_[best])
        return IntentPrediction(
            intent=intent,
            category=self._model.categories[intent],
            confidence=float(probabilities[best]),
        )


def _training_digest() -> str:
    """Names the cache file: changes with the training data, model version or scikit-learn."""
    digest = hashlib.sha256(BITEXT_SAMPLE.read_bytes())
    digest.update(f"{MODEL_VERSION}/{sklearn.__version__}".encode())
    return digest.hexdigest()[:16]
