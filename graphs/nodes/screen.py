"""Screen: the input guards judge the redacted message (every turn, not only the first)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.context import TurnContext
from graphs.nodes.common import node_span, span_context
from graphs.state import ConversationState
from guards.verdict import run_guard_async


async def screen(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    services = ctx.services
    with node_span("screen", ctx) as span:
        verdict = await run_guard_async(
            services.input_screen,
            state["user_text"],
            services.guard_timeout_s,
            span_context(span),
            services.metrics.count_verdict,
        )
        blocks = state.get("guard_blocks", 0) + (0 if verdict.allowed else 1)
        return {
            "screen": {
                "allowed": verdict.allowed,
                "category": verdict.category,
                "score": verdict.score,
                "reasons": list(verdict.reasons),
                "abuse": str(verdict.details.get("abuse", "")),
            },
            "guard_blocks": blocks,
        }
