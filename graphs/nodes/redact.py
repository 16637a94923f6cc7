"""Redact: the customer's raw message becomes redacted text before anything else sees it."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from langgraph.runtime import Runtime

from graphs.nodes.common import message, node_span, trace_content
from graphs.state import ConversationState, TurnContext, fresh_turn


class RedactionFailed(RuntimeError):
    """Redaction errored or timed out; the raw text must go no further."""


async def redact(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    services = ctx.services
    with node_span("redact", ctx) as span:
        try:
            redaction = await asyncio.wait_for(
                asyncio.to_thread(services.redactor.redact, ctx.raw_message, ctx.vault),
                timeout=services.guard_timeout_s,
            )
        except Exception as exc:  # fail closed: nothing raw goes further
            span.set_attribute("redact.failed", type(exc).__name__)
            raise RedactionFailed("redaction failed") from None
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
