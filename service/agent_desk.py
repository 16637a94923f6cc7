"""`AgentDesk`: what human agents do with a handoff ticket: claim it, write to the customer,
and resolve it (the bot takes the conversation back).

Agent messages are redacted with the conversation's vault before they touch the graph, so
the transcript holds only redacted text (the agent's own display name, set when they claim,
stays: customers see who helps them); they reach the customer's conversation through the
paused graph (`await_agent`). Each action holds the conversation's turn lease, so it never
interleaves with a customer turn. What became of the ticket's suggested replies is settled as
the agent sends or resolves (`SuggestionLedger`).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from opentelemetry import trace

from graphs import AgentEvent
from guards.redaction import Redactor
from service.agent_assist import AgentAssist, CaseAssist, DraftedSuggestion, SuggestionLedger
from service.storage.conversations import ConversationStore
from service.storage.handoffs import HandoffQueue, Ticket
from service.turns import TurnRunner

LEASE_WAIT_S = 10.0


class TicketNotFound(LookupError):
    """No ticket has that id."""


class TicketConflict(RuntimeError):
    """The ticket is not in a state that allows this action."""


class UnknownSuggestion(LookupError):
    """The ticket has no open suggestion with that id."""


class AgentDesk:
    def __init__(
        self, queue: HandoffQueue, store: ConversationStore, runner: TurnRunner, redactor: Redactor
    ):
        self.queue, self.store, self.runner, self.redactor = queue, store, runner, redactor
        self.suggestions = SuggestionLedger(runner.audit)
        self.assist = AgentAssist(runner, store, self.suggestions)

    async def ticket(self, ticket_id: str) -> Ticket:
        ticket = await self.queue.get(ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        return ticket

    async def claim(self, ticket_id: str, agent: str) -> Ticket:
        values = {"agent": agent, "claimed_at": datetime.now(UTC)}
        if not await self.queue.transition(ticket_id, ("open",), "claimed", "with_agent", **values):
            raise TicketConflict(f"ticket is {(await self.ticket(ticket_id)).status}, not open")
        ticket = await self.ticket(ticket_id)
        await self._record(ticket, "handoff.claimed", {"handoff_id": ticket_id, "agent": agent})
        return ticket

    async def post_message(
        self, ticket_id: str, content: str, suggestion_id: str | None = None
    ) -> str:
        """Send the agent's words to the customer; returns them as stored (redacted).
        `suggestion_id`: the suggested reply the agent started from, if any."""
        ticket = await self._active(ticket_id)
        redacted = await self._relay(ticket, content)
        await self.suggestions.sent(ticket, suggestion_id, content)
        return redacted

    async def case(self, ticket_id: str) -> tuple[Ticket, CaseAssist]:
        """The ticket and its case at a glance."""
        ticket = await self.ticket(ticket_id)
        return ticket, await self.assist.case(ticket)

    async def suggest(self, ticket_id: str) -> DraftedSuggestion:
        """A checked draft of the agent's next reply (`NoSuggestion` when there is none)."""
        return await self.assist.suggest(await self._active(ticket_id))

    async def discard_suggestion(self, ticket_id: str, suggestion_id: str) -> None:
        ticket = await self._active(ticket_id)
        if not await self.suggestions.discard(ticket, suggestion_id):
            raise UnknownSuggestion(suggestion_id)

    async def _relay(self, ticket: Ticket, content: str) -> str:
        async with self.store.hold_turn(ticket.conversation_id, wait_s=LEASE_WAIT_S):
            vault = await self.store.load_vault(ticket.conversation_id)
            keep = [ticket.agent] if ticket.agent else []  # the agent's own name is shown
            redaction = await asyncio.to_thread(self.redactor.redact, content, vault, keep)
            redacted = redaction.text
            event: AgentEvent = {"event": "agent_message", "content": redacted}
            await self.runner.resume_for_agent(ticket.conversation_id, event)
            await self.store.save_vault(ticket.conversation_id, vault)
            await self._record(ticket, "agent.message", {"handoff_id": ticket.id, "text": redacted})
        return redacted

    async def resolve(self, ticket_id: str) -> Ticket:
        ticket = await self._active(ticket_id)
        async with self.store.hold_turn(ticket.conversation_id, wait_s=LEASE_WAIT_S):
            if await self.runner.waiting_for_agent(ticket.conversation_id):
                await self.runner.resume_for_agent(ticket.conversation_id, {"event": "resolved"})
            values = {"resolved_at": datetime.now(UTC)}
            if not await self.queue.transition(
                ticket_id, ("open", "claimed"), "resolved", "bot", **values
            ):
                raise TicketConflict("ticket was resolved meanwhile")
            await self._record(ticket, "handoff.resolved", {"handoff_id": ticket_id})
        await self.suggestions.settle_all(ticket, "discarded")
        return await self.ticket(ticket_id)

    async def _record(self, ticket: Ticket, kind: str, detail: dict[str, str]) -> None:
        trace_id = format(trace.get_current_span().get_span_context().trace_id, "032x")
        await self.runner.record(ticket.conversation_id, trace_id, [(kind, detail)])

    async def _active(self, ticket_id: str) -> Ticket:
        ticket = await self.ticket(ticket_id)
        if ticket.status == "resolved":
            raise TicketConflict("ticket is already resolved")
        return ticket
