"""What one turn gets at run time besides the state (LangGraph's run context): never persisted.

The customer's raw message and the conversation's placeholder vault travel here, so they never
reach the checkpointer; so do the services the nodes call and the turn's trace parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from opentelemetry.context import Context

if TYPE_CHECKING:
    from graphs.services import ChatServices
    from guards.redaction import PlaceholderVault


@dataclass
class TurnContext:
    """Run-scoped inputs of one turn; never persisted."""

    conversation_id: str
    raw_message: str
    """The customer's message as typed. Only the redact node reads it."""
    vault: PlaceholderVault
    services: ChatServices
    with_human: bool = False
    """A human agent has the conversation: the bot relays instead of answering."""
    trace_parent: Context | None = None
    """The turn's span context: every node's span is created under it explicitly."""
    streamed: list[str] = field(default_factory=list)
    """Sentences already released to the customer during this turn (redacted)."""
