"""Small helpers every node uses: its span, timestamps, transcript lines."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from opentelemetry import trace
from opentelemetry.context import Context

from graphs.context import TurnContext
from graphs.state import Message, Role

tracer = trace.get_tracer("guardchat.graph")


@contextmanager
def node_span(name: str, ctx: TurnContext) -> Iterator[trace.Span]:
    """A span for one node, parented explicitly on the turn's span; its time is measured."""
    started = time.perf_counter()
    with tracer.start_as_current_span(f"node {name}", context=ctx.trace_parent) as span:
        span.set_attribute("graph.node", name)
        span.set_attribute("gen_ai.conversation.id", ctx.conversation_id)
        try:
            yield span
        finally:
            ctx.services.metrics.observe_step(name, time.perf_counter() - started)


def trace_content(span: trace.Span, ctx: TurnContext, key: str, redacted_text: str) -> None:
    """Message content in spans: off unless configured, and then only ever redacted text."""
    if ctx.services.trace_content:
        span.set_attribute(key, redacted_text)


def span_context(span: trace.Span) -> Context:
    """A context whose current span is `span`, to parent work running in other threads."""
    return trace.set_span_in_context(span)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def message(role: Role, content: str) -> Message:
    """A transcript line stamped now. `content` must already be redacted."""
    return {"role": role, "content": content, "at": now_iso()}
