"""Await agent: the graph pauses (LangGraph `interrupt`) while a human has the conversation.

It is resumed with `Command(resume=AgentEvent)`: a customer message (the turn then goes
on to redact and relay it), an agent message (already redacted by the caller; appended to
the transcript), or resolved (the bot takes the conversation back). This node re-runs from
the top on every resume, so it does nothing but wait and record: no model call, no
redaction, no ticket.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from langgraph.types import interrupt

from graphs.nodes.common import message
from graphs.state import ConversationState


class AgentEvent(TypedDict, total=False):
    event: Literal["customer_message", "agent_message", "resolved"]
    content: str
    """For agent messages: the agent's words, redacted."""


async def await_agent(state: ConversationState) -> dict[str, Any]:
    event: AgentEvent = interrupt({"waiting_for": "agent", "handoff_id": state.get("handoff_id")})
    kind = event.get("event", "customer_message")
    if kind == "agent_message":
        return {"agent_event": kind, "messages": [message("agent", event.get("content", ""))]}
    return {"agent_event": kind}
