"""Evaluating redaction on a labelled JSON Lines set (``guardchat eval pii --data FILE``).

Each line: ``{"text", "entities": [{"type", "start", "end"}], "protected": [str, ...]}``.
A found entity matches a labelled one when their spans overlap (and, per type, the types
agree). Besides precision, recall and F2 the report says how much personal data would
still be readable (values surviving verbatim, words of values surviving, per type too) and
how often a message without personal data was changed at all. With a baseline (Presidio's
default analyzer) the same figures are shown side by side.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from guards.redaction import Entity, Redaction, Redactor

ANY_TYPE = "ANY_PII"
_WORD = re.compile(r"\w+")


class TextRedactor(Protocol):
    """Anything that redacts a text: our `Redactor`, or the baseline."""

    def redact(self, text: str) -> Redaction: ...


@dataclass(frozen=True)
class ServiceRedactor:
    """Our `Redactor` as the service runs it: the company's published contacts are kept."""

    redactor: Redactor
    keep: tuple[str, ...]

    def redact(self, text: str) -> Redaction:
        return self.redactor.redact(text, keep=self.keep)


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
    values_verbatim: int = 0
    """Labelled values of this type left readable verbatim (whatever type was found)."""

    @property
    def verbatim_rate(self) -> float:
        return self.values_verbatim / self.labels if self.labels else 0.0

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
    clean_messages: int = 0
    clean_changed: int = 0
    """Messages without personal data that redaction changed anyway."""
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
    def clean_changed_rate(self) -> float:
        return self.clean_changed / self.clean_messages if self.clean_messages else 0.0

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
            "clean_changed_rate": self.clean_changed_rate,
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
        for name in (label.type, ANY_TYPE):
            report.score(name).values_verbatim += value in redacted
        words = _WORD.findall(value)
        report.words += len(words)
        report.words_surviving += sum(_word_survives(word, redacted) for word in words)
    report.references += len(message.protected)
    report.references_kept += sum(reference in redacted for reference in message.protected)
    if not message.entities:
        report.clean_messages += 1
        report.clean_changed += redacted != message.text


def evaluate_pii(redactor: TextRedactor, path: Path) -> PiiReport:
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


def _share(part: int, whole: int) -> str:
    return f"{part / whole if whole else 0.0:.2%} ({part}/{whole})"


_TYPE_HEADER = f"{'type':<16} {'labels':>6} {'precision':>9} {'recall':>7} {'F2':>6} {'left':>6}"


def _type_row(name: str, score: TypeScore, baseline: PiiReport | None) -> str:
    row = f"{name:<16} {score.labels:>6} {score.precision:>9.3f} {score.recall:>7.3f} "
    row += f"{score.f2:>6.3f} {score.values_verbatim:>6}"
    if baseline is not None:
        row += f" {baseline.by_type.get(name, TypeScore()).values_verbatim:>9}"
    return row


def _summary_rows(report: PiiReport) -> list[tuple[str, str]]:
    return [
        ("values surviving verbatim", _share(report.values_verbatim, report.values)),
        ("words of values surviving", _share(report.words_surviving, report.words)),
        ("references kept", _share(report.references_kept, report.references)),
        ("messages without PII changed", _share(report.clean_changed, report.clean_messages)),
        ("latency median / p95", f"{report.median_ms:.1f} / {report.p95_ms:.1f} ms"),
    ]


def format_pii_report(report: PiiReport, baseline: PiiReport | None = None) -> str:
    """A readable table of `PiiReport`; ``left`` counts labelled values left readable, and
    with a ``baseline`` its counts are shown beside ours ("default")."""
    header = _TYPE_HEADER + (f" {'default':>9}" if baseline else "")
    rows = [header]
    for name, s in sorted(report.by_type.items(), key=lambda item: item[0] == ANY_TYPE):
        rows.append(_type_row(name, s, baseline))
    rows += ["", f"messages: {report.messages}"]
    theirs = dict(_summary_rows(baseline)) if baseline else {}
    for label, ours in _summary_rows(report):
        rows.append(f"{label}: {ours}" + (f"   default: {theirs[label]}" if baseline else ""))
    return "\n".join(rows)
