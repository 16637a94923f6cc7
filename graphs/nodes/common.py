"""Small helpers every node uses: its span, timestamps, transcript lines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from opentelemetry import trace
from opentelemetry.context import Context

from graphs.state import Message, Role, TurnContext

tracer = trace.get_tracer("guardchat.graph")


@contextmanager
def node_span(name: str, ctx: TurnContext) -> Iterator[trace.Span]:
    """A span for one node, parented explicitly on the turn's span."""
    with tracer.start_as_current_span(f"node {name}", context=ctx.trace_parent) as span:
        span.set_attribute("graph.node", name)
        span.set_attribute("gen_ai.conversation.id", ctx.conversation_id)
        yield span


def span_context(span: trace.Span) -> Context:
    """A context whose current span is `span`, to parent work running in other threads."""
    return trace.set_span_in_context(span)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def message(role: Role, content: str) -> Message:
    """A transcript line stamped now. `content` must already be redacted."""
    return {"role": role, "content": content, "at": now_iso()}
