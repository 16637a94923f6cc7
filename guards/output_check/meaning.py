"""What a reply sentence means: fine, an insult, advice the bot may not give, or a promise.

Keyword rules miss "maybe read the instructions next time, genius" and "a swallowed battery
usually passes on its own". This model reads meaning: a logistic regression over the shared
all-MiniLM-L6-v2 sentence embeddings, beside a vote of the nearest training sentences (a
sentence much closer to known insults than to known fine sentences scores higher).

Sentence embeddings barely tell "please see a doctor" from "no need to see a doctor"
(cosine 0.88), so the regression also reads the sentence's words and word pairs (TF-IDF):
"no need", "keep taking", "is normal" carry the stance the embedding blurs. Out of fold, at
0.5% of fine sentences flagged, this lifted advice caught from 0.54 to 0.92
(`bench/output_meaning_thresholds.py`).

Training data: `guards/data/output_meaning_train.yaml` (hand-written, many industries, with
look-alikes such as neutral redirections "please ask a tax advisor" labelled fine) and Bitext
support-response sentences as more fine examples. Trained deterministically at
`service.prepare` time (a few seconds) and cached under a key made of the data and versions.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
import sklearn
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from guards.embeddings import DEFAULT_CACHE_DIR, SentenceEncoder, model_fingerprint, shared_encoder
from guards.input_checks.classifier import _write_atomically

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TRAINING_PATHS = tuple(sorted(DATA_DIR.glob("output_meaning_train*.yaml")))
"""`output_meaning_train.yaml` and the files written after it (`..._train_more.yaml`)."""
BITEXT_OK_PATH = DATA_DIR / "output_meaning_bitext_ok.txt"
LABELS = ("ok", "insult", "advice", "promise")
REASONS = {"insult": "abuse:meaning", "advice": "advice:meaning", "promise": "promise:meaning"}
"""The reason each finding is reported under; its first part is the rule family's."""
THRESHOLDS = {"insult": 0.6, "advice": 0.6, "promise": 0.6}
"""Issue 15, third pass: with `output_meaning_train_varied.yaml` added, out of fold about 1% of
fine training sentences score over 0.6 for advice and 0.9 for insults; insults are let lower
(every one must stop) and the three set on the dev sets (data/eval/output_dev3.jsonl, written
with that data, then output_dev2, output_dev, output_guard): at 0.6 each, insults caught
29/30 and 15/15, advice 30/30 and 20/20, good replies unchanged 48/50, 30/30, 34/34, 43/43."""
SHORT_SENTENCE_WORDS = 4
SHORT_SENTENCE_MARGIN = 0.3
"""A sentence of a few words ("Click the link.") carries little meaning to embed: its
scores swing, so it must clear a higher bar (the rules judge short insults too). Fifth pass:
with `output_meaning_train_warmth.yaml`, over every dev set's 536 good and 194 insulting
replies, under 4 words at +0.3 (clauses at +0.5) blocked 3 good replies and caught 184
insults, against 5 and 181 at under 5 words, +0.5 (clauses +0.4): "Obviously." and "Try to
cope." scored 1.0-1.1, just under the old bar."""
NEIGHBOURS = 3
NEIGHBOUR_WEIGHT = 1.0
REGULARISATION_C = 8.0
WORD_FEATURE_WEIGHT = 2.0
"""Scale of the TF-IDF word features beside the (unit-length) embedding."""
MAX_TOKENS = 64
"""Sentences are short; a long one is judged on its start (cost grows with tokens)."""
_FORMAT_VERSION = "3"
_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
"""A numbered step's number ("2. Click the link.") says nothing about its meaning."""
_CLAUSE_BREAK = re.compile(r"\s*[,;:\u2013\u2014]\s*|\s+-\s+|\s+(?=(?:which|but|assuming|if)\b)")
"""Where a dig tacked onto a correct answer starts ("Refunds take 5 days, which you'd know if
you had bothered to read"): the answer's words swamp the dig in one embedding."""
MIN_CLAUSE_WORDS = 3
CLAUSE_INSULT_MARGIN = 0.5
"""A clause alone must clear the insult threshold by this much more: a clause carries less
meaning than its sentence, and apologies ("I'm sorry, you deserve better") score high alone.
Set on blind set v2 (now development data) and our dev sets, 297 good replies and 107 insults:
at +0.0 clauses caught 6 more insults and blocked 13 more good replies, at +0.4 3 and 2; +0.5
since the fifth pass, with shorter sentences let lower (see `SHORT_SENTENCE_MARGIN`)."""


@dataclass(frozen=True)
class FittedMeaning:
    """What is trained and cached: the word features, the regression and each label's
    training vectors."""

    words: TfidfVectorizer
    regression: LogisticRegression
    vectors: dict[str, np.ndarray]


class MeaningClassifier:
    """Sentence -> the finding it carries ("insult", "advice", "promise") or None."""

    def __init__(self, fitted: FittedMeaning, encoder: SentenceEncoder) -> None:
        self.encoder = encoder
        self._words = fitted.words
        self._regression = fitted.regression
        self._vectors = {label: v.astype(np.float32) for label, v in fitted.vectors.items()}

    def findings(self, sentences: Sequence[str]) -> list[str | None]:
        """Per sentence, the non-fine label that passes its threshold (the strongest), or None.
        A sentence with nothing found is an insult still when one of its clauses is (blind set
        v2: 8 of 17 insults that passed were a dig tacked onto a correct answer)."""
        if not sentences:
            return []
        clauses = [_clauses(sentence) for sentence in sentences]
        parts = [*sentences, *(clause for found in clauses for clause in found)]
        scores = self.scores(parts)
        rest = iter(scores[len(sentences) :])
        clause_scores = [[next(rest) for _ in each] for each in clauses]
        return [
            _strongest(row, _word_count(sentence)) or _insult_in_clauses(each, rows)
            for row, sentence, each, rows in zip(
                scores, sentences, clauses, clause_scores, strict=False
            )
        ]

    def scores(self, sentences: Sequence[str]) -> list[dict[str, float]]:
        """Per sentence, each non-fine label's score: probability plus the neighbours' vote."""
        bare = [_LIST_NUMBER.sub("", sentence) for sentence in sentences]
        return self.embedding_scores(bare, self.encoder.encode(bare, max_tokens=MAX_TOKENS))

    def embedding_scores(
        self, sentences: Sequence[str], embeddings: np.ndarray
    ) -> list[dict[str, float]]:
        """`scores` for sentences already embedded."""
        features = _features(embeddings, self._words.transform(sentences))
        probabilities = self._regression.predict_proba(features)
        fine = _nearest_mean(embeddings, self._vectors["ok"])
        classes = list(self._regression.classes_)
        by_label = {
            label: probabilities[:, classes.index(label)]
            + NEIGHBOUR_WEIGHT * (_nearest_mean(embeddings, self._vectors[label]) - fine)
            for label in THRESHOLDS
        }
        return [{label: float(column[row]) for label, column in by_label.items()}
                for row in range(len(embeddings))]  # fmt: skip


def _word_count(sentence: str) -> int:
    return len(_LIST_NUMBER.sub("", sentence).split())


def _clauses(sentence: str) -> list[str]:
    """The sentence's clauses of `MIN_CLAUSE_WORDS` or more, when it has more than one."""
    parts = [part for part in _CLAUSE_BREAK.split(sentence.strip()) if part]
    if len(parts) < 2:
        return []
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


def _insult_in_clauses(clauses: list[str], scores: list[dict[str, float]]) -> str | None:
    """ "insult" when a clause alone clears the insult threshold by `CLAUSE_INSULT_MARGIN`."""
    extra = {"insult": CLAUSE_INSULT_MARGIN}
    found = (
        _strongest(row, _word_count(clause), extra)
        for row, clause in zip(scores, clauses, strict=True)
    )
    return "insult" if "insult" in found else None


def _strongest(
    scores: dict[str, float], words: int, extra: dict[str, float] | None = None
) -> str | None:
    """The strongest label over its threshold (higher for a sentence of a few words, and by
    `extra` per label)."""
    margin = SHORT_SENTENCE_MARGIN if words < SHORT_SENTENCE_WORDS else 0.0
    raised = {label: THRESHOLDS[label] + margin + (extra or {}).get(label, 0.0) for label in scores}
    passing = {label: s for label, s in scores.items() if s >= raised[label]}
    return max(passing, key=passing.__getitem__) if passing else None


def _nearest_mean(embeddings: np.ndarray, examples: np.ndarray) -> np.ndarray:
    """Per embedding, the mean cosine similarity of its `NEIGHBOURS` nearest examples."""
    similarities = embeddings @ examples.T
    nearest = np.partition(similarities, -NEIGHBOURS, axis=1)[:, -NEIGHBOURS:]
    return np.asarray(nearest.mean(axis=1))


def load_meaning_classifier(cache_dir: Path | None = None) -> MeaningClassifier:
    """The cached classifier for the current training data, training and caching it if needed."""
    encoder = shared_encoder(cache_dir)
    raw = b"".join(path.read_bytes() for path in (*TRAINING_PATHS, BITEXT_OK_PATH))
    cache_file = (cache_dir or DEFAULT_CACHE_DIR) / f"output-meaning-{_cache_key(raw)}.pkl"
    if cache_file.exists():
        with cache_file.open("rb") as handle:
            return MeaningClassifier(pickle.load(handle), encoder)
    fitted = train(*training_examples(), encoder)
    with contextlib.suppress(OSError):  # a read-only cache only costs a retrain next time
        _write_atomically(cache_file, pickle.dumps(fitted))
    return MeaningClassifier(fitted, encoder)


def training_examples() -> tuple[list[str], list[str]]:
    """Texts and labels: the hand-written sets, then the Bitext sentences as fine."""
    pairs = [pair for path in TRAINING_PATHS for pair in _labelled_sentences(path)]
    bitext = BITEXT_OK_PATH.read_text(encoding="utf-8").splitlines()
    return [text for text, _ in pairs] + bitext, [label for _, label in pairs] + ["ok"] * len(
        bitext
    )


def _labelled_sentences(path: Path) -> list[tuple[str, str]]:
    """One training file's sentences with their label, in `LABELS` order."""
    by_label: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(text, label) for label in LABELS for text in by_label.get(label, [])]


def train(texts: list[str], labels: list[str], encoder: SentenceEncoder) -> FittedMeaning:
    """Fit the regression on every example; keep each label's vectors for the neighbour vote."""
    return fit(texts, encoder.encode(texts, max_tokens=MAX_TOKENS), labels)


def fit(texts: list[str], embeddings: np.ndarray, labels: list[str]) -> FittedMeaning:
    """`train` for sentences already embedded."""
    targets = np.asarray(labels)
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    features = _features(embeddings, words.fit_transform(texts))
    regression = LogisticRegression(
        C=REGULARISATION_C, class_weight="balanced", max_iter=3000, random_state=7
    ).fit(features, targets)
    vectors = {label: embeddings[targets == label].astype(np.float16) for label in LABELS}
    return FittedMeaning(words, regression, vectors)


def _features(embeddings: np.ndarray, word_counts: sparse.spmatrix) -> sparse.csr_matrix:
    """The regression's input: the embedding beside the weighted TF-IDF word features."""
    return sparse.hstack([sparse.csr_matrix(embeddings), WORD_FEATURE_WEIGHT * word_counts]).tocsr()


def _cache_key(raw: bytes) -> str:
    digest = hashlib.sha256(raw)
    versions = (_FORMAT_VERSION, REGULARISATION_C, WORD_FEATURE_WEIGHT, NEIGHBOUR_WEIGHT,
                MAX_TOKENS, model_fingerprint(), sklearn.__version__, np.__version__)  # fmt: skip
    digest.update(":".join(map(str, versions)).encode())
    return digest.hexdigest()[:16]
