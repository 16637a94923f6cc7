"""The handoff model: which serious matter, if any, a customer message raises.

A multinomial logistic regression over MiniLM sentence embeddings and TF-IDF words and word
pairs (the words carry what one embedding blurs: "is there a bereavement team" and "my mum
died" sit close in meaning; out of fold they lowered ordinary messages flagged from 4.4% to
1.8% at the same recall, issue 15's third pass), trained on
`data/handoff/handoff_train*.yaml` (families a person must handle, and look-alikes the bot can
answer) plus ordinary Bitext requests as more of the latter. Meaning, not wording: "the courier
kept my parcel and marked it delivered" lands near "your driver stole my package". Beside it
the nearest training examples vote: a message much closer to serious examples than to ordinary
ones scores higher, which catches phrasings the regression has not generalised to and keeps
look-alikes ("my phone battery is dead") near their own kind. Its weight and the regression's
strength were chosen out of fold (`bench/handoff_threshold.py`): a weak regularisation and a
light vote caught the most serious examples at 2-3% of ordinary ones flagged.

A message is scored whole and sentence by sentence, and the most serious reading wins, so one
line about a threat at the door is not diluted by three lines about a late order.

Training takes seconds and is deterministic; the fitted model is cached on disk, keyed by the
training data and the model version.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
import sklearn
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from graphs.routing.dataset import BITEXT_SAMPLE, load_bitext_sample
from graphs.routing.text import strip_placeholders, tokens
from guards.embeddings import DEFAULT_CACHE_DIR, SentenceEncoder, model_fingerprint, shared_encoder
from guards.model_cache import cached

MODEL_VERSION = "handoff-v3"  # change whenever features or training change
TRAINING_DIR = Path(__file__).parent / "data" / "handoff"
TRAINING_FILES = tuple(sorted(TRAINING_DIR.glob("handoff_train*.yaml")))
"""`handoff_train.yaml` and the files written after it (`handoff_train_more.yaml`...)."""
NO_FAMILY = "none"
AMBIGUOUS_BITEXT_INTENTS = frozenset(
    {"contact_human_agent", "contact_customer_service", "complaint"}
)
"""Bitext intents left out of the negatives: some of their rows do need a person."""
MIN_SENTENCE_WORDS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


@dataclass(frozen=True)
class HandoffScore:
    """The model's reading of a message."""

    family: str  # the most likely family a person must handle, e.g. "privacy_incident"
    probability: float  # probability that the message raises any such family, 0..1


@dataclass
class FittedHandoffModel:
    """What training produces and the cache holds: the regression and the example vectors."""

    words: TfidfVectorizer  # word and word-pair weights beside the embedding
    logistic: LogisticRegression
    serious_vectors: np.ndarray  # float16 embeddings of the examples a person must handle
    ordinary_vectors: np.ndarray  # float16 embeddings of the examples the assistant answers


@dataclass(frozen=True)
class HandoffExamples:
    """Texts with their family (`NO_FAMILY` for those the assistant answers)."""

    texts: list[str]
    families: list[str]


def model_text(text: str) -> str:
    """What the model reads: placeholders removed, lower-case, accent-free tokens."""
    return " ".join(tokens(strip_placeholders(text)))


def message_parts(text: str) -> list[str]:
    """The message whole, then each of its sentences when it has more than one (fragments of
    a word or two, "Terrible.", carry too little to be read alone)."""
    sentences = _SENTENCE_END.split(text.strip())
    parts = [part for part in sentences if len(part.split()) >= MIN_SENTENCE_WORDS]
    return [text, *parts] if len(sentences) > 1 else [text]


def load_examples(paths: tuple[Path, ...] = TRAINING_FILES) -> HandoffExamples:
    """The written examples, plus the unambiguous Bitext rows as requests the bot answers."""
    written = [_written_examples(path) for path in paths]
    bitext = [
        row.text for row in load_bitext_sample() if row.intent not in AMBIGUOUS_BITEXT_INTENTS
    ]
    texts = [text for part in written for text in part.texts] + bitext
    families = [family for part in written for family in part.families]
    return HandoffExamples(texts, families + [NO_FAMILY] * len(bitext))


def _written_examples(path: Path) -> HandoffExamples:
    """One training file: its `handoff` families, then its `assistant` groups as `NO_FAMILY`."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    serious = [(text, family) for family, texts in data["handoff"].items() for text in texts]
    ordinary = [(text, NO_FAMILY) for texts in data["assistant"].values() for text in texts]
    pairs = serious + ordinary
    return HandoffExamples([text for text, _ in pairs], [family for _, family in pairs])


class HandoffModel:
    """Scores customer messages for the serious matters a person must handle."""

    regularisation_c = 200.0
    word_weight = 2.0  # scale of the TF-IDF word features beside the unit-length embedding
    neighbours = 3
    neighbour_weight = 1.0  # how much "closer to serious than to ordinary" (cosine) adds

    def __init__(self, encoder: SentenceEncoder, fitted: FittedHandoffModel) -> None:
        self._encoder = encoder
        self._fitted = fitted
        self._none_column = list(fitted.logistic.classes_).index(NO_FAMILY)
        self._serious = fitted.serious_vectors.astype(np.float32)
        self._ordinary = fitted.ordinary_vectors.astype(np.float32)

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> HandoffModel:
        """The model trained on the shipped examples, from the cache if there."""
        encoder = shared_encoder(cache_dir)
        path = (cache_dir or DEFAULT_CACHE_DIR) / f"handoff-{_training_digest()}.pkl"
        return cls(encoder, cached(path, lambda: cls.train(load_examples(), encoder)._fitted))

    @classmethod
    def train(cls, examples: HandoffExamples, encoder: SentenceEncoder) -> HandoffModel:
        """Fit on `examples` (deterministic: same examples, same model)."""
        texts = [model_text(text) for text in examples.texts]
        return cls(encoder, cls.fit(texts, encoder.encode(texts), examples.families))

    @classmethod
    def fit(cls, texts: list[str], vectors: np.ndarray, families: list[str]) -> FittedHandoffModel:
        """The word features, regression and example vectors for already-embedded examples
        (`texts` as `model_text` gives them)."""
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(texts)
        logistic = LogisticRegression(
            C=cls.regularisation_c, class_weight="balanced", max_iter=5000
        )
        logistic.fit(_features(vectors, words.transform(texts), cls.word_weight), families)
        serious = np.asarray(families) != NO_FAMILY
        halves = vectors[serious].astype(np.float16), vectors[~serious].astype(np.float16)
        return FittedHandoffModel(words, logistic, *halves)

    def score(self, text: str) -> HandoffScore:
        """The most serious reading of the message, whole or sentence by sentence. Messages of
        a word or two ("ok", "thanks") carry too little to read: the rules judge them alone."""
        if len(model_text(text).split()) < MIN_SENTENCE_WORDS:
            return HandoffScore(NO_FAMILY, 0.0)
        parts = [model_text(part) for part in message_parts(text)]
        vectors = self._encoder.encode(parts)
        probabilities = self.probabilities(parts, vectors)
        scores = self.vector_scores(vectors, probabilities)
        best = int(np.argmax(scores))
        return HandoffScore(self._family(probabilities[best]), float(np.clip(scores[best], 0, 1)))

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """The regression's probability of each family (and `NO_FAMILY`) per embedded text
        (`texts` as `model_text` gives them)."""
        features = _features(vectors, self._fitted.words.transform(texts), self.word_weight)
        return np.asarray(self._fitted.logistic.predict_proba(features))

    def vector_scores(self, vectors: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        """Per embedded text, how strongly it raises a matter a person must handle: the
        regression's probability plus the neighbours' vote (may leave 0..1; callers clip)."""
        nearness = self._nearest(vectors, self._serious) - self._nearest(vectors, self._ordinary)
        return 1.0 - probabilities[:, self._none_column] + self.neighbour_weight * nearness

    def _nearest(self, vectors: np.ndarray, examples: np.ndarray) -> np.ndarray:
        """Per vector, the mean cosine similarity of its nearest examples."""
        count = min(self.neighbours, len(examples))
        nearest = np.partition(vectors @ examples.T, -count, axis=1)[:, -count:]
        return np.asarray(nearest.mean(axis=1))

    def _family(self, probabilities: np.ndarray) -> str:
        """The most likely family a person must handle (never `NO_FAMILY`)."""
        serious = probabilities.copy()
        serious[self._none_column] = -1.0
        return str(self._fitted.logistic.classes_[int(np.argmax(serious))])


def _features(vectors: np.ndarray, words: sparse.spmatrix, weight: float) -> sparse.csr_matrix:
    """The regression's input: the embedding beside the weighted word features."""
    return sparse.hstack([sparse.csr_matrix(vectors), weight * words]).tocsr()


def _training_digest() -> str:
    """Names the cache file: changes with the data, model version, encoder or scikit-learn."""
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in TRAINING_FILES))
    digest.update(BITEXT_SAMPLE.read_bytes())
    model = HandoffModel
    versions = (MODEL_VERSION, model.regularisation_c, model.word_weight, model.neighbour_weight,
                model_fingerprint())  # fmt: skip
    digest.update(f"{versions}/{sklearn.__version__}".encode())
    return digest.hexdigest()[:16]
