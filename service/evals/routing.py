"""Evaluating triage (``guardchat eval routing``): intent accuracy and handoff rates.

- Intent files: Bitext CSVs (`flags,instruction,category,intent`) or JSON Lines of
  `{"text", "intent", "category"}`; accuracy and mean confidence per file.
- Conversations: JSON Lines of `{"messages": [...], "needs_human": bool, "why": str}`, each
  replayed turn by turn (`Triage.route_conversation`). Handoff recall is measured on those that
  need a person, the false-handoff rate on the others.
- Latency: `Triage.route` on one message at a time, p50 and p95.

`cross_validate_intents` measures the classifier itself on the Bitext sample (stratified
k-fold), with calibration, next to a plain TF-IDF + logistic-regression baseline.
"""

from __future__ import annotations

import itertools
import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion

from graphs.routing.dataset import LabelledText, load_bitext_sample, load_labelled_jsonl
from graphs.routing.intents import IntentClassifier
from graphs.routing.triage import Triage
from guards.embeddings import SentenceEncoder, shared_encoder
from service.filter_records import parse_messages


@dataclass(frozen=True)
class IntentScore:
    """Intent accuracy on one labelled file."""

    path: str
    examples: int
    accuracy: float
    category_accuracy: float
    mean_confidence: float


@dataclass(frozen=True)
class Misroute:
    """A conversation routed the wrong way, for inspection."""

    why: str
    last_user_message: str
    expected: str
    got: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RoutingReport:
    """Everything `evaluate_routing` measured."""

    intent_scores: tuple[IntentScore, ...]
    conversations: int
    needing_human: int
    handoff_recall: float  # share of conversations needing a person that were handed off
    false_handoff_rate: float  # share of the other conversations that were handed off
    latency_p50_ms: float
    latency_p95_ms: float
    misroutes: tuple[Misroute, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def load_intent_examples(path: Path) -> list[LabelledText]:
    """A Bitext CSV or a JSON Lines file of labelled texts."""
    return load_bitext_sample(path) if path.suffix == ".csv" else load_labelled_jsonl(path)


def score_intents(triage: Triage, path: Path) -> IntentScore:
    """Intent and category accuracy of the classifier on one file."""
    examples = load_intent_examples(path)
    predictions = triage.classifier.predict_many([example.text for example in examples])
    pairs = list(zip(examples, predictions, strict=True))
    return IntentScore(
        path=str(path),
        examples=len(examples),
        accuracy=_share(p.intent == e.intent for e, p in pairs),
        category_accuracy=_share(p.category == e.category for e, p in pairs),
        mean_confidence=_mean(p.confidence for _, p in pairs),
    )


def _share(flags: Any) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def _mean(values: Any) -> float:
    numbers = list(values)
    return statistics.fmean(numbers) if numbers else 0.0


@dataclass(frozen=True)
class RoutedConversation:
    """One labelled conversation and what triage did with it."""

    needs_human: bool
    handed_off: bool
    misroute: Misroute | None


def _route_one(triage: Triage, record: dict[str, Any]) -> RoutedConversation:
    """Replay one labelled conversation; keep a `Misroute` when it went the wrong way."""
    messages = parse_messages(record["messages"])
    decision = triage.route_conversation(messages)
    needs_human, handed_off = bool(record["needs_human"]), decision.route == "handoff"
    if handed_off == needs_human:
        return RoutedConversation(needs_human, handed_off, None)
    last_user = next(m.content for m in reversed(messages) if m.role == "user")
    expected = "handoff" if needs_human else "assistant"
    why = str(record.get("why", ""))
    misroute = Misroute(why, last_user, expected, decision.route, decision.reasons)
    return RoutedConversation(needs_human, handed_off, misroute)


def _latencies_ms(triage: Triage, texts: list[str]) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        triage.route(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def evaluate_routing(
    triage: Triage, conversations_path: Path, intents_paths: list[Path]
) -> RoutingReport:
    """Measure intent accuracy per file, handoff recall and false handoffs, and latency."""
    with conversations_path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    outcomes = [_route_one(triage, record) for record in records]
    needing = [outcome.handed_off for outcome in outcomes if outcome.needs_human]
    others = [outcome.handed_off for outcome in outcomes if not outcome.needs_human]
    texts = [m["content"] for r in records for m in r["messages"] if m["role"] == "user"]
    latencies = _latencies_ms(triage, texts)
    return RoutingReport(
        intent_scores=tuple(score_intents(triage, path) for path in intents_paths),
        conversations=len(records),
        needing_human=len(needing),
        handoff_recall=_share(needing),
        false_handoff_rate=_share(others),
        latency_p50_ms=float(np.percentile(latencies, 50)) if latencies else 0.0,
        latency_p95_ms=float(np.percentile(latencies, 95)) if latencies else 0.0,
        misroutes=tuple(outcome.misroute for outcome in outcomes if outcome.misroute),
    )


def format_routing_report(report: RoutingReport) -> str:
    """A short human-readable summary."""
    lines = ["Intent accuracy:"]
    for score in report.intent_scores:
        lines.append(
            f"  {score.path}: {score.accuracy:.3f} intent, {score.category_accuracy:.3f} category"
            f" over {score.examples} (mean confidence {score.mean_confidence:.3f})"
        )
    others = report.conversations - report.needing_human
    lines += [
        f"Handoff recall: {report.handoff_recall:.3f} of {report.needing_human} needing a person",
        f"False handoffs: {report.false_handoff_rate:.3f} of {others} others",
        f"Latency per message: p50 {report.latency_p50_ms:.1f} ms,"
        f" p95 {report.latency_p95_ms:.1f} ms",
    ]
    for miss in report.misroutes:
        lines.append(
            f"  misrouted ({miss.why}): {miss.last_user_message!r}"
            f" expected {miss.expected}, got {miss.got} {list(miss.reasons)}"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold intent accuracy on the Bitext sample."""

    folds: int
    accuracy: float
    mean_confidence: float
    expected_calibration_error: float  # mean |confidence - accuracy| over 10 confidence bins
    baseline_accuracy: float  # word and char TF-IDF + logistic regression (0 when skipped)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)


def cross_validate_intents(
    examples: list[LabelledText],
    encoder: SentenceEncoder | None = None,
    folds: int = 5,
    seed: int = 0,
    with_baseline: bool = True,
) -> CrossValidation:
    """Stratified k-fold accuracy and calibration of `IntentClassifier`, and of the baseline."""
    encoder = encoder or shared_encoder()
    labels = np.array([example.intent for example in examples])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    correct, confidence, baseline = (np.zeros(len(labels)) for _ in range(3))
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        train_rows, test_rows = [examples[i] for i in train], [examples[i] for i in test]
        classifier = IntentClassifier.train(train_rows, encoder)
        predictions = classifier.predict_many([row.text for row in test_rows])
        correct[test] = [
            p.intent == row.intent for p, row in zip(predictions, test_rows, strict=True)
        ]
        confidence[test] = [p.confidence for p in predictions]
        if with_baseline:
            baseline[test] = _baseline_correct(train_rows, test_rows)
    return CrossValidation(
        folds=folds,
        accuracy=float(correct.mean()),
        mean_confidence=float(confidence.mean()),
        expected_calibration_error=expected_calibration_error(confidence, correct),
        baseline_accuracy=float(baseline.mean()),
    )


def _baseline_correct(train: list[LabelledText], test: list[LabelledText]) -> list[bool]:
    """Word and character TF-IDF + logistic regression, the reference to beat."""
    vectorizer = FeatureUnion(
        [
            ("words", TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))),
            ("chars", TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5))),
        ]
    )
    model = LogisticRegression(C=10.0, max_iter=3000)
    model.fit(vectorizer.fit_transform([row.text for row in train]), [row.intent for row in train])
    predicted = model.predict(vectorizer.transform([row.text for row in test]))
    return [bool(p == row.intent) for p, row in zip(predicted, test, strict=True)]


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    """Gap between confidence and accuracy, averaged over equal-width confidence bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    gap = 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            gap += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(gap)
