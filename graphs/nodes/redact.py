"""Redact: the customer's raw message becomes redacted text before anything else sees it."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any, NoReturn

from langgraph.runtime import Runtime
from opentelemetry.trace import Span

from graphs.context import TurnContext
from graphs.nodes.common import message, node_span, trace_content
from graphs.state import ConversationState, fresh_turn
from guards.off_loop import run_off_loop


class RedactionFailed(RuntimeError):
    """Redaction errored or timed out; the raw text must go no further."""


async def redact(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    services = ctx.services
    with node_span("redact", ctx) as span:
        keep = services.prompts.profile.published_contacts()
        work = partial(services.redactor.redact, ctx.raw_message, ctx.vault, keep)
        redaction = await run_off_loop(work, services.guard_timeout_s, partial(_failed, span))
        counts = dict(Counter(entity.type for entity in redaction.entities))
        trace_content(span, ctx, "guardchat.message.redacted", redaction.text)
        for entity_type, count in counts.items():
            span.set_attribute(f"redact.entities.{entity_type}", count)
        return {
            **fresh_turn(),
            "route": "relay" if ctx.with_human else "assistant",
            "user_text": redaction.text,
            "entity_counts": counts,
            "messages": [message("user", redaction.text)],
        }


def _failed(span: Span, error: Exception) -> NoReturn:
    """Fail closed: nothing raw goes further; the turn ends with a fallback."""
    span.set_attribute("redact.failed", type(error).__name__)
    raise RedactionFailed("redaction failed") from None
