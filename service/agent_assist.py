"""Agent assist: a ticket's case at a glance (intent, category, handoff reasons, a summary of the
conversation so far) and suggested replies, drafted by the graph's own answering steps.

What became of each suggestion is recorded in the conversation's audit trail, from the trail
itself (no other state, so a restart loses nothing): `suggestion.drafted` when it is drafted,
then one `suggestion.outcome`: `sent_as_is`, `edited` (the agent changed it before sending) or
`discarded` (the agent dropped it, sent something else, asked for another, or resolved).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace

from graphs import SuggestedReply, case_summary, suggest_reply
from service.metrics import SUGGESTIONS
from service.storage.audit import AuditLog
from service.storage.conversations import ConversationStore
from service.storage.handoffs import Ticket
from service.turns import TurnRunner


@dataclass(frozen=True)
class CaseAssist:
    """What the agent reads before the transcript (redacted, like the transcript)."""

    intent: str
    category: str
    reasons: list[str]
    summary: str


@dataclass(frozen=True)
class DraftedSuggestion:
    suggestion_id: str
    text: str
    source: str
    reasons: list[str]


def current_trace_id() -> str:
    return format(trace.get_current_span().get_span_context().trace_id, "032x")


def handoff_reasons(ticket: Ticket) -> list[str]:
    """The ticket's reasons, one code each (stored joined by commas)."""
    return [reason.strip() for reason in ticket.reason.split(",") if reason.strip()]


class AgentAssist:
    def __init__(self, runner: TurnRunner, store: ConversationStore, ledger: SuggestionLedger):
        self.runner, self.store, self.ledger = runner, store, ledger

    async def case(self, ticket: Ticket) -> CaseAssist:
        transcript = await self.runner.transcript(ticket.conversation_id)
        category = self.runner.services.triage.category_of(ticket.intent)
        summary = case_summary(transcript)
        return CaseAssist(ticket.intent, category, handoff_reasons(ticket), summary)

    async def suggest(self, ticket: Ticket) -> DraftedSuggestion:
        """A checked draft of the agent's next reply (raises `NoSuggestion` when there is none:
        the model is down and no fact answers, or the check withheld everything)."""
        conversation_id = ticket.conversation_id
        transcript = await self.runner.transcript(conversation_id)
        vault = await self.store.load_vault(conversation_id)  # read only: never saved back
        services = self.runner.services
        suggested = await suggest_reply(services, conversation_id, transcript, vault)
        return await self.ledger.drafted(ticket, suggested)


class SuggestionLedger:
    """Suggestions and their outcomes, in the audit trail."""

    def __init__(self, audit: AuditLog):
        self.audit = audit

    async def drafted(self, ticket: Ticket, suggested: SuggestedReply) -> DraftedSuggestion:
        await self.settle_all(ticket, "discarded")  # a new draft replaces an unused one
        draft = DraftedSuggestion(
            f"s_{uuid.uuid4().hex[:16]}", suggested.text, suggested.source, list(suggested.reasons)
        )
        await self._append(ticket, "suggestion.drafted", draft.__dict__)
        SUGGESTIONS.labels(outcome="drafted").inc()
        return draft

    async def sent(self, ticket: Ticket, suggestion_id: str | None, content: str) -> None:
        """The agent sent `content`: the suggestion it started from (if any) was sent as is or
        edited; any other open suggestion of the ticket was discarded."""
        for open_id, text in (await self.outstanding(ticket)).items():
            outcome = "discarded"
            if open_id == suggestion_id:
                outcome = "sent_as_is" if _same_words(text, content) else "edited"
            await self._settle(ticket, open_id, outcome)

    async def discard(self, ticket: Ticket, suggestion_id: str) -> bool:
        """False when the ticket has no such open suggestion."""
        if suggestion_id not in await self.outstanding(ticket):
            return False
        await self._settle(ticket, suggestion_id, "discarded")
        return True

    async def settle_all(self, ticket: Ticket, outcome: str) -> None:
        for open_id in await self.outstanding(ticket):
            await self._settle(ticket, open_id, outcome)

    async def outstanding(self, ticket: Ticket) -> dict[str, str]:
        """The ticket's drafted suggestions without an outcome yet: id -> text."""
        drafted: dict[str, str] = {}
        for event in await self.audit.events(ticket.conversation_id):
            if event.detail.get("handoff_id") != ticket.id:
                continue
            if event.kind == "suggestion.drafted":
                drafted[event.detail["suggestion_id"]] = event.detail["text"]
            elif event.kind == "suggestion.outcome":
                drafted.pop(event.detail["suggestion_id"], None)
        return drafted

    async def _settle(self, ticket: Ticket, suggestion_id: str, outcome: str) -> None:
        detail = {"suggestion_id": suggestion_id, "outcome": outcome}
        await self._append(ticket, "suggestion.outcome", detail)
        SUGGESTIONS.labels(outcome=outcome).inc()

    async def _append(self, ticket: Ticket, kind: str, detail: dict[str, Any]) -> None:
        detail = {"handoff_id": ticket.id, **detail}
        await self.audit.append(ticket.conversation_id, current_trace_id(), kind, detail)


def _same_words(draft: str, sent: str) -> bool:
    """Sent as is: the same text, whitespace aside."""
    return draft.split() == sent.split()
