"""Refuse and relay: turns that the model does not answer."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graphs.context import TurnContext
from graphs.nodes.common import message, node_span
from graphs.prompts import HANDOFF_PENDING_REPLY, REFUSAL_REPLY
from graphs.state import ConversationState


async def refuse(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """An input guard blocked the message: a polite refusal, never the model."""
    with node_span("refuse", runtime.context):
        return {"reply": REFUSAL_REPLY, "messages": [message("assistant", REFUSAL_REPLY)]}


async def relay_to_agent(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """A human has the conversation: the message waits for them; the bot does not answer."""
    with node_span("relay_to_agent", runtime.context):
        return {"route": "handoff", "reply": HANDOFF_PENDING_REPLY}
