"""`CustomerFeedback`: a customer rates one of the bot's replies (up or down, with an optional
comment). The comment is redacted with the conversation's vault (off the event loop) before it
is stored; the rating joins the conversation's audit chain as `feedback.given` and is counted in
`/metrics` by the reply's intent."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace

from guards.redaction import Redactor
from service.metrics import FEEDBACK
from service.storage.audit import AuditLog
from service.storage.conversations import ConversationStore
from service.turns import TurnRunner

UNKNOWN_INTENT = "unknown"
LEASE_WAIT_S = 10.0  # the vault is shared with a turn in flight


class NoSuchMessage(LookupError):
    """The conversation has no message at that index."""


class NotABotReply(ValueError):
    """The message is the customer's or an agent's: only the bot's replies are rated."""


@dataclass(frozen=True)
class Rating:
    message_index: int
    rating: str  # up | down
    comment: str | None = None


class CustomerFeedback:
    def __init__(
        self, store: ConversationStore, runner: TurnRunner, audit: AuditLog, redactor: Redactor
    ):
        self.store, self.runner, self.audit, self.redactor = store, runner, audit, redactor

    async def rate(self, conversation_id: str, rating: Rating) -> dict[str, Any]:
        """Record the rating; returns the audit detail as stored (comment redacted)."""
        reply, turn = await self._bot_reply(conversation_id, rating.message_index)
        detail = {
            "message_index": rating.message_index, "rating": rating.rating, "reply": reply,
            "intent": await self._intent_of_turn(conversation_id, turn),
            "comment": await self._redacted(conversation_id, rating.comment),
        }  # fmt: skip
        await self.runner.record(conversation_id, _trace_id(), [("feedback.given", detail)])
        FEEDBACK.labels(intent=detail["intent"], rating=rating.rating).inc()
        return detail

    async def _bot_reply(self, conversation_id: str, index: int) -> tuple[str, int]:
        """The reply's (redacted) text and which of the bot's replies it is (0, 1, ...)."""
        messages = await self.runner.transcript(conversation_id)
        if not 0 <= index < len(messages):
            raise NoSuchMessage(f"no message {index} in this conversation")
        if messages[index]["role"] != "assistant":
            raise NotABotReply(f"message {index} is a {messages[index]['role']} message")
        turn = sum(1 for message in messages[:index] if message["role"] == "assistant")
        return messages[index]["content"], turn

    async def _intent_of_turn(self, conversation_id: str, turn: int) -> str:
        """The intent routed on the bot's `turn`-th reply, as the audit trail recorded it."""
        events = await self.audit.events(conversation_id)
        intents = [e.detail.get("intent") for e in events if e.kind == "route.decided"]
        return str(intents[turn] or UNKNOWN_INTENT) if turn < len(intents) else UNKNOWN_INTENT

    async def _redacted(self, conversation_id: str, comment: str | None) -> str | None:
        if not comment:
            return None
        async with self.store.hold_turn(conversation_id, wait_s=LEASE_WAIT_S):
            vault = await self.store.load_vault(conversation_id)
            redaction = await asyncio.to_thread(self.redactor.redact, comment, vault)
            await self.store.save_vault(conversation_id, vault)
        return redaction.text


def _trace_id() -> str:
    return format(trace.get_current_span().get_span_context().trace_id, "032x")
