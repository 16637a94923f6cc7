"""`guardchat eval output --data FILE`: the output check alone on a labelled set of replies.

Rows are ``{"user", "reply", "expect": "pass"|"fix"|"block", "kind"}``; kinds other than
``good`` (insult, advice, promise, ungrounded, ...) must be stopped: fixed or blocked, both
whole and streamed sentence by sentence as the graph runs it. A good reply must pass with
its text unchanged. The company is the profile in the settings (the sample by default).
Given the knowledge base, each reply's figures are checked against the answers retrieved for
its customer message, as the graph does (without it: against every answer, which lets a
figure through whenever any entry holds it, e.g. an invented "$12.95" for a loyalty fee
because express shipping costs $12.95).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guards.knowledge import KnowledgeBase
from guards.output_check import OutputCheck
from guards.redaction import PlaceholderVault, Redactor
from service.evals.guards import RateCount, read_jsonl, review_streamed_reply
from service.filter_records import guard_output_record, own_values_to_placeholders


@dataclass
class OutputReport:
    """Per kind, the share handled as it should be (good: unchanged; others: stopped)."""

    handled: dict[str, RateCount] = field(default_factory=lambda: defaultdict(RateCount))
    streamed_handled: dict[str, RateCount] = field(default_factory=lambda: defaultdict(RateCount))
    misses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            key: {kind: {"hits": c.hits, "total": c.total, "rate": c.rate}
                  for kind, c in sorted(getattr(self, key).items())}
            for key in ("handled", "streamed_handled")
        } | {"misses": self.misses}  # fmt: skip


def evaluate_output(
    check: OutputCheck, redactor: Redactor, path: Path, knowledge: KnowledgeBase | None = None
) -> OutputReport:
    """The output check over every row of ``path``, whole and streamed; with ``knowledge``,
    each reply is grounded in the facts retrieved for its customer message."""
    report = OutputReport()
    for row in read_jsonl(path):
        record = {"user": row["user"], "reply": row["reply"].replace("{canary}", check.canary)}
        facts = _turn_facts(knowledge, redactor, record["user"])
        result = guard_output_record(check, redactor, record, facts)
        whole = _handled(row["kind"], result["verdict"], result["reply"], record["reply"])
        report.handled[row["kind"]].add(whole)
        streamed = _words(_streamed(check, redactor, record, facts))
        original = _words(record["reply"])
        verdict = "fix" if streamed != original else "pass"
        report.streamed_handled[row["kind"]].add(_handled(row["kind"], verdict, streamed, original))
        if not whole:
            report.misses.append(f"[{row['kind']}] {result['verdict']} {result['reasons']}: "
                                 f"{row['reply'][:90]}")  # fmt: skip
    return report


def _turn_facts(knowledge: KnowledgeBase | None, redactor: Redactor, user: str) -> list[str] | None:
    """The answers the graph's ground step retrieves for the (redacted) message, or None."""
    if knowledge is None:
        return None
    return knowledge.turn_facts(redactor.redact(user, PlaceholderVault()).text)


def _handled(kind: str, verdict: str, reply: str, original: str) -> bool:
    """Good replies pass unchanged; every other kind is stopped (fixed or blocked)."""
    if kind == "good":
        return verdict == "pass" and reply == original
    return verdict in ("fix", "block")


def _words(text: str) -> str:
    """Streamed sentences are joined by single spaces: compare words, not line breaks."""
    return " ".join(text.split())


def _streamed(
    check: OutputCheck, redactor: Redactor, record: dict[str, str], facts: list[str] | None
) -> str:
    """What the customer would see of the reply streamed through the graph."""
    vault = PlaceholderVault()
    user = redactor.redact(record["user"], vault).text
    reply = own_values_to_placeholders(record["reply"], vault)
    review = review_streamed_reply(check, reply, user, vault, facts)
    return vault.restore(review.reply)


def format_output_report(report: OutputReport) -> str:
    """Per kind: whole-reply and streamed rates, then what was missed."""
    lines = ["Output check (good: passed unchanged; other kinds: stopped)"]
    for kind, count in sorted(report.handled.items()):
        streamed = report.streamed_handled[kind]
        lines.append(
            f"  {kind:12s} whole {count.rate:6.1%} ({count.hits}/{count.total})   "
            f"streamed {streamed.rate:6.1%} ({streamed.hits}/{streamed.total})"
        )
    return "\n".join(lines + [f"  missed: {miss}" for miss in report.misses])
