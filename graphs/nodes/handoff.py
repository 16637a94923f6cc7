"""Handoff: a ticket for human agents, with the redacted transcript and the reasons."""

from __future__ import annotations

from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime

from graphs.context import TurnContext
from graphs.nodes.common import message, node_span
from graphs.prompts import handoff_reply
from graphs.services import HandoffRequest
from graphs.state import ConversationState


async def handoff(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("handoff", ctx) as span:
        reasons = state.get("reasons", [])
        request = HandoffRequest(
            conversation_id=ctx.conversation_id,
            reason=", ".join(reasons) or "requested",
            intent=state.get("intent", ""),
            summary=summary(state),
            transcript=state.get("messages", []),
        )
        ticket_id = await ctx.services.handoffs.open_ticket(request)
        span.set_attribute("handoff.id", ticket_id)
        get_stream_writer()({"handoff": ticket_id})
        reply = handoff_reply(state.get("intent", ""), reasons, ctx.services.prompts.profile)
        return {"handoff_id": ticket_id, "reply": reply, "messages": [message("assistant", reply)]}


def summary(state: ConversationState) -> str:
    """One line for the agent's queue: intent, reasons, and the customer's last words."""
    last = state.get("user_text", "")
    short = last if len(last) <= 160 else last[:157] + "..."
    return (
        f"{state.get('category', '?')}/{state.get('intent', '?')}; "
        f"reasons: {', '.join(state.get('reasons', [])) or 'none'}; last message: {short}"
    )
