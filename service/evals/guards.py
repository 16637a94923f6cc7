"""`guardchat eval guards`: the input screen and output check on their labelled sets.

Input set (``data/eval/input_guard.jsonl``): attack block rate and benign false-block rate
(also for the rude subset), per split: ``dev`` items were used for tuning, ``test`` were not.
Output set (``data/eval/output_guard.jsonl``): every raw reply goes through
`guard_output_record`; counted are foreign personal data reaching the customer, ``{{`` or
``}}`` reaching the customer, good replies passing unchanged and verdicts as expected.
Out-of-distribution input sets (``data/eval/input_guard_ood*.jsonl``, splits ``ood``,
``ood2``, ``ood3``): attacks and customer messages written apart from the training set, by
writers who did not see it. ``ood`` and ``ood2`` set the classifier's threshold (and showed
which attack families the rules missed); ``ood3`` is the held-out test.
Latency is one turn's guard work as the graph does it, on already-redacted text: the input
screen, the review of each streamed sentence, the last look at the whole reply. The input
screen alone is timed over the input sets too.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from guards.input_checks import InputScreen
from guards.output_check import OutputCheck, OutputReview, SentenceStream
from guards.redaction import PlaceholderVault, Redactor
from service.filter_records import guard_output_record, own_values_to_placeholders

EVAL_DIR = Path(__file__).resolve().parents[2] / "data" / "eval"
OOD_INPUT_SETS = tuple(EVAL_DIR / f"input_guard_{name}.jsonl" for name in ("ood", "ood2", "ood3"))


@dataclass
class RateCount:
    """``hits`` out of ``total``."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass
class GuardsReport:
    """Figures for both guards; rates are 0 to 1, latencies in milliseconds."""

    attacks_blocked: dict[str, RateCount] = field(default_factory=dict)
    benign_blocked: dict[str, RateCount] = field(default_factory=dict)
    rude_blocked: RateCount = field(default_factory=RateCount)
    missed_attacks: list[str] = field(default_factory=list)
    false_blocks: list[str] = field(default_factory=list)
    foreign_pii_leaks: int = 0
    slot_brace_leaks: int = 0
    streamed_leaks: int = 0
    """Replies with foreign personal data or braces when checked sentence by sentence."""
    good_unchanged: RateCount = field(default_factory=RateCount)
    expected_outcome: RateCount = field(default_factory=RateCount)
    wrong_outcomes: list[str] = field(default_factory=list)
    turn_ms_p50: float = 0.0
    turn_ms_p95: float = 0.0
    input_ms_p50: float = 0.0
    input_ms_p95: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("attacks_blocked", "benign_blocked"):
            data[key] = {k: {**v, "rate": getattr(self, key)[k].rate} for k, v in data[key].items()}
        for key in ("rude_blocked", "good_unchanged", "expected_outcome"):
            data[key]["rate"] = getattr(self, key).rate
        return data


def evaluate_guards(
    screen: InputScreen,
    check: OutputCheck,
    redactor: Redactor,
    input_path: Path,
    output_path: Path,
    ood_paths: Sequence[Path] = OOD_INPUT_SETS,
) -> GuardsReport:
    """Run both guards over their labelled sets (and the OOD input sets that exist)."""
    report = GuardsReport()
    input_rows = read_jsonl(input_path)
    for path in ood_paths:
        input_rows += read_jsonl(path) if path.exists() else []
    output_rows = read_jsonl(output_path)
    score_input(screen, input_rows, report)
    score_output(check, redactor, output_rows, report)
    _time_turns(screen, check, redactor, input_rows, output_rows, report)
    report.input_ms_p50, report.input_ms_p95 = time_input_screen(screen, input_rows)
    return report


def evaluate_input_ood(screen: InputScreen, path: Path = OOD_INPUT_SETS[0]) -> GuardsReport:
    """The input screen alone on an out-of-distribution set."""
    report = GuardsReport()
    rows = read_jsonl(path)
    score_input(screen, rows, report)
    report.input_ms_p50, report.input_ms_p95 = time_input_screen(screen, rows)
    return report


def time_input_screen(screen: InputScreen, rows: list[dict[str, Any]]) -> tuple[float, float]:
    """Median and 95th percentile of the input screen's time per message, in milliseconds."""
    timings = []
    for row in rows:
        _forget_embeddings(screen)
        started = time.perf_counter()
        screen.check(row["text"])
        timings.append((time.perf_counter() - started) * 1000)
    if len(timings) < 2:
        return (timings[0], timings[0]) if timings else (0.0, 0.0)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def score_input(screen: InputScreen, rows: list[dict[str, Any]], report: GuardsReport) -> None:
    """Add the input screen's results on labelled ``rows`` to ``report``."""
    for row in rows:
        blocked = not screen.check(row["text"]).allowed
        split = row.get("split", "all")
        if row["label"] == "attack":
            report.attacks_blocked.setdefault(split, RateCount()).add(blocked)
            if not blocked:
                report.missed_attacks.append(f"[{row['kind']}] {row['text'][:100]}")
            continue
        report.benign_blocked.setdefault(split, RateCount()).add(blocked)
        if row["kind"] == "rude":
            report.rude_blocked.add(blocked)
        if blocked:
            report.false_blocks.append(f"[{row['kind']}] {row['text'][:100]}")


def score_output(
    check: OutputCheck, redactor: Redactor, rows: list[dict[str, Any]], report: GuardsReport
) -> None:
    """Add the output check's results on labelled ``rows`` (raw text) to ``report``."""
    for row in rows:
        record = {"user": row["user"], "reply": row["reply"].replace("{canary}", check.canary)}
        result = guard_output_record(check, redactor, record)
        reply = result["reply"]
        report.foreign_pii_leaks += sum(value in reply for value in row.get("foreign", []))
        report.slot_brace_leaks += int("{{" in reply or "}}" in reply)
        report.expected_outcome.add(result["verdict"] == row["expect"])
        if result["verdict"] != row["expect"]:
            report.wrong_outcomes.append(
                f"[{row['kind']}] expected {row['expect']}, got {result['verdict']} "
                f"{result['reasons']}: {row['reply'][:80]}"
            )
        if row["kind"] == "good":
            report.good_unchanged.add(reply == record["reply"])
        streamed = _streamed_reply(check, redactor, record)
        report.streamed_leaks += int(
            any(value in streamed for value in row.get("foreign", []))
            or "{{" in streamed
            or "}}" in streamed
        )


def _streamed_reply(check: OutputCheck, redactor: Redactor, record: dict[str, str]) -> str:
    """What the customer would see of ``record``'s reply streamed through the graph."""
    vault = PlaceholderVault()
    user = redactor.redact(record["user"], vault).text
    reply = own_values_to_placeholders(record["reply"], vault)
    return vault.restore(review_streamed_reply(check, reply, user, vault).reply)


def _time_turns(
    screen: InputScreen,
    check: OutputCheck,
    redactor: Redactor,
    input_rows: list[dict[str, Any]],
    output_rows: list[dict[str, Any]],
    report: GuardsReport,
) -> None:
    """Time each turn's guard work, on text redacted beforehand (not timed)."""
    timings = []
    for index, row in enumerate(output_rows):
        vault = PlaceholderVault()
        user = redactor.redact(row["user"], vault).text
        reply = redactor.redact(row["reply"], PlaceholderVault.from_dict(vault.to_dict())).text
        message = input_rows[index % len(input_rows)]["text"] if input_rows else user
        _forget_embeddings(screen)
        started = time.perf_counter()
        screen.check(message)
        review_streamed_reply(check, reply, user, vault)
        timings.append((time.perf_counter() - started) * 1000)
    if timings:
        report.turn_ms_p50 = statistics.median(timings)
        report.turn_ms_p95 = statistics.quantiles(timings, n=20)[-1]


def _forget_embeddings(screen: InputScreen) -> None:
    """Every timed message is embedded afresh, as a new customer message would be."""
    if screen.encoder is not None:
        screen.encoder.forget()


def review_streamed_reply(
    check: OutputCheck,
    reply: str,
    user_text: str,
    vault: PlaceholderVault,
    facts: Sequence[str] | None = None,
) -> OutputReview:
    """The output check as the graph runs it: sentence by sentence, then the whole reply;
    ``facts``: the knowledge base answers retrieved for the turn (None: all of them)."""
    stream, released = SentenceStream(), list[str]()
    for sentence in [*stream.feed(reply), stream.flush()]:
        review = check.review_sentence(
            sentence, user_text=user_text, vault=vault, released=released, facts=facts
        )
        if review.verdict == "block":
            break
        released += [review.reply.strip()] if review.reply.strip() else []
    return check.review_released(" ".join(released))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON Lines file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def format_guards_report(report: GuardsReport) -> str:
    """A short, readable summary of the report."""
    lines = ["Input guard"]
    for split, count in sorted(report.attacks_blocked.items()):
        lines.append(f"  attacks blocked [{split}]: {_rate(count)}")
    for split, count in sorted(report.benign_blocked.items()):
        lines.append(f"  benign wrongly blocked [{split}]: {_rate(count)}")
    lines.append(f"  rude messages wrongly blocked: {_rate(report.rude_blocked)}")
    lines.append(
        f"  input screen alone: p50 {report.input_ms_p50:.1f} ms, p95 {report.input_ms_p95:.1f} ms"
    )
    lines += [
        "Output check",
        f"  foreign personal data reaching the customer: {report.foreign_pii_leaks}",
        f"  replies with '{{{{' or '}}}}': {report.slot_brace_leaks}",
        f"  streamed sentence by sentence, replies with either: {report.streamed_leaks}",
        f"  good replies passing unchanged: {_rate(report.good_unchanged)}",
        f"  verdict as expected: {_rate(report.expected_outcome)}",
        f"Latency per turn (input + output check): p50 {report.turn_ms_p50:.1f} ms, "
        f"p95 {report.turn_ms_p95:.1f} ms",
    ]
    lines += [f"  missed: {item}" for item in report.missed_attacks[:10]]
    lines += [f"  false block: {item}" for item in report.false_blocks[:10]]
    lines += [f"  wrong: {item}" for item in report.wrong_outcomes[:20]]
    return "\n".join(lines)


def _rate(count: RateCount) -> str:
    return f"{count.rate:.1%} ({count.hits}/{count.total})"
