"""Evaluating redaction on a labelled JSON Lines set (``guardchat eval pii --data FILE``).

Each line: ``{"text", "entities": [{"type", "start", "end"}], "protected": [str, ...]}``.
A found entity matches a labelled one when their spans overlap (and, per type, the types
agree). Besides precision, recall and F2 the report says how much personal data would
still be readable: values surviving verbatim and words of values surviving.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from guards.redaction import Entity, Redactor

ANY_TYPE = "ANY_PII"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class LabelledMessage:
    """One evaluation message: its text, labelled entities and references to keep."""

    text: str
    entities: tuple[Entity, ...]
    protected: tuple[str, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabelledMessage:
        entities = tuple(Entity(e["type"], e["start"], e["end"], 1.0) for e in data["entities"])
        return cls(data["text"], entities, tuple(data.get("protected", ())))


@dataclass
class TypeScore:
    """Counts and scores for one entity type (or for any personal data at all)."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    found_labels: int = 0
    labels: int = 0

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found_labels / self.labels if self.labels else 1.0

    @property
    def f2(self) -> float:
        p, r = self.precision, self.recall
        return 5 * p * r / (4 * p + r) if p + r else 0.0


@dataclass
class PiiReport:
    """Everything `evaluate_pii` measured."""

    messages: int = 0
    by_type: dict[str, TypeScore] = field(default_factory=dict)
    values: int = 0
    values_verbatim: int = 0
    words: int = 0
    words_surviving: int = 0
    references: int = 0
    references_kept: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def verbatim_rate(self) -> float:
        return self.values_verbatim / self.values if self.values else 0.0

    @property
    def word_survival_rate(self) -> float:
        return self.words_surviving / self.words if self.words else 0.0

    @property
    def references_kept_rate(self) -> float:
        return self.references_kept / self.references if self.references else 1.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies_ms) < 2:
            return self.median_ms
        return statistics.quantiles(self.latencies_ms, n=20)[-1]

    def score(self, entity_type: str) -> TypeScore:
        return self.by_type.setdefault(entity_type, TypeScore())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (no message text)."""
        return {
            "messages": self.messages,
            "types": {
                name: {**asdict(s), "precision": s.precision, "recall": s.recall, "f2": s.f2}
                for name, s in sorted(self.by_type.items())
            },
            "values_verbatim_rate": self.verbatim_rate,
            "words_surviving_rate": self.word_survival_rate,
            "references_kept_rate": self.references_kept_rate,
            "median_ms": self.median_ms,
            "p95_ms": self.p95_ms,
        }


def load_messages(path: Path) -> list[LabelledMessage]:
    """The labelled messages in a JSON Lines file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [LabelledMessage.from_json(json.loads(line)) for line in lines if line.strip()]


def _count_matches(score: TypeScore, labels: list[Entity], found: list[Entity]) -> None:
    """Add one message's span-overlap matches to ``score``."""
    score.labels += len(labels)
    score.found_labels += sum(any(f.overlaps(g.start, g.end) for f in found) for g in labels)
    correct = sum(any(g.overlaps(f.start, f.end) for g in labels) for f in found)
    score.true_positives += correct
    score.false_positives += len(found) - correct


def _score_entities(
    report: PiiReport, labels: tuple[Entity, ...], found: tuple[Entity, ...]
) -> None:
    _count_matches(report.score(ANY_TYPE), list(labels), list(found))
    for entity_type in {e.type for e in labels} | {e.type for e in found}:
        same_labels = [e for e in labels if e.type == entity_type]
        same_found = [e for e in found if e.type == entity_type]
        _count_matches(report.score(entity_type), same_labels, same_found)


def _word_survives(word: str, redacted: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", redacted) is not None


def _score_leaks(report: PiiReport, message: LabelledMessage, redacted: str) -> None:
    for label in message.entities:
        value = message.text[label.start : label.end]
        report.values += 1
        report.values_verbatim += value in redacted
        words = _WORD.findall(value)
        report.words += len(words)
        report.words_surviving += sum(_word_survives(word, redacted) for word in words)
    report.references += len(message.protected)
    report.references_kept += sum(reference in redacted for reference in message.protected)


def evaluate_pii(redactor: Redactor, path: Path) -> PiiReport:
    """Redact every message of the labelled set at ``path`` and measure the result."""
    report = PiiReport()
    for message in load_messages(path):
        started = time.perf_counter()
        redaction = redactor.redact(message.text)
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        report.messages += 1
        _score_entities(report, message.entities, redaction.entities)
        _score_leaks(report, message, redaction.text)
    return report


def _share(label: str, part: int, whole: int) -> str:
    return f"{label}: {part / whole if whole else 0.0:.2%} ({part}/{whole})"


def format_pii_report(report: PiiReport) -> str:
    """A readable table of `PiiReport`."""
    rows = [f"{'type':<16} {'labels':>6} {'precision':>9} {'recall':>7} {'F2':>6}"]
    for name, s in sorted(report.by_type.items(), key=lambda item: item[0] == ANY_TYPE):
        rows.append(f"{name:<16} {s.labels:>6} {s.precision:>9.3f} {s.recall:>7.3f} {s.f2:>6.3f}")
    rows += [
        "",
        f"messages: {report.messages}",
        _share("values surviving verbatim", report.values_verbatim, report.values),
        _share("words of values surviving", report.words_surviving, report.words),
        _share("references kept", report.references_kept, report.references),
        f"latency: median {report.median_ms:.1f} ms, p95 {report.p95_ms:.1f} ms",
    ]
    return "\n".join(rows)
