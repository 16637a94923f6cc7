"""The one contract every guard follows: text in, a `Verdict` out.

`run_guard` runs a guard inside its own OpenTelemetry span and turns an error or a
time-out into a failing verdict, so a broken guard never lets text through unchecked. Each
verdict is also handed to an observer (the service counts them in its metrics).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from opentelemetry import context as otel_context
from opentelemetry import trace

from guards.off_loop import failure_kind, run_off_loop

tracer = trace.get_tracer("guardchat.guards")


@dataclass(frozen=True)
class Verdict:
    """What a guard decided about one piece of text."""

    allowed: bool
    """False when the text must not go further as it is."""
    text: str
    """The text to use from here on (possibly fixed, e.g. redacted or with slots filled)."""
    reasons: tuple[str, ...] = ()
    """Machine-readable reasons, e.g. ``("injection:instruction_override",)``."""
    score: float = 0.0
    """How strongly the guard objects, 0 (not at all) to 1 (certain)."""
    category: str = "ok"
    """A short label for the finding: ``ok``, ``injection``, ``abuse``, ``pii``, ``error``..."""
    details: dict[str, int | float | str] = field(default_factory=dict)
    """Counts and figures safe to log and trace (never raw text)."""


class Guard(Protocol):
    """Anything with a name that turns text into a verdict."""

    name: str

    def check(self, text: str) -> Verdict: ...


VerdictObserver = Callable[[str, Verdict], None]
"""Told each guard's name and its verdict, e.g. to count verdicts in a metric."""


def ignore_verdict(guard_name: str, verdict: Verdict) -> None:
    """The observer when nobody is counting."""


def failed_closed(text: str, guard_name: str, why: str) -> Verdict:
    """The verdict used when a guard could not give one: block, and say why."""
    return Verdict(
        allowed=False, text=text, reasons=(f"{guard_name}:{why}",), score=1.0, category="error"
    )


def run_guard(
    guard: Guard,
    text: str,
    parent: otel_context.Context | None = None,
    observe: VerdictObserver = ignore_verdict,
) -> Verdict:
    """Run one guard in its own span; an exception becomes a blocking verdict."""
    with tracer.start_as_current_span(f"guard {guard.name}", context=parent) as span:
        try:
            verdict = guard.check(text)
        except Exception as exc:  # a broken guard must fail closed
            span.record_exception(exc)
            verdict = failed_closed(text, guard.name, "error")
        _annotate(span, guard.name, verdict)
        observe(guard.name, verdict)
        return verdict


async def run_guard_async(
    guard: Guard,
    text: str,
    timeout_s: float,
    parent: otel_context.Context | None = None,
    observe: VerdictObserver = ignore_verdict,
) -> Verdict:
    """`run_guard` in a worker thread, with a time limit that also fails closed."""

    def closed(error: Exception) -> Verdict:
        verdict = failed_closed(text, guard.name, failure_kind(error))
        observe(guard.name, verdict)
        return verdict

    work = partial(run_guard, guard, text, parent, observe)
    return await run_off_loop(work, timeout_s, closed)


def _annotate(span: trace.Span, name: str, verdict: Verdict) -> None:
    span.set_attribute("guard.name", name)
    span.set_attribute("guard.allowed", verdict.allowed)
    span.set_attribute("guard.category", verdict.category)
    span.set_attribute("guard.score", verdict.score)
    span.set_attribute("guard.reasons", list(verdict.reasons))
    for key, value in verdict.details.items():
        span.set_attribute(f"guard.{key}", value)
