"""`HandoffQueue`: tickets for human agents (open -> claimed -> resolved), redacted only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from graphs import HandoffRequest
from service.metrics import HANDOFFS
from service.storage.tables import conversations, handoffs
from service.webhooks import HandoffWebhook

TicketStatus = Literal["open", "claimed", "resolved"]


class Ticket(BaseModel):
    """A handoff ticket as stored, and as the agent API shows it."""

    model_config = ConfigDict(frozen=True)

    id: str
    conversation_id: str
    status: TicketStatus
    reason: str
    intent: str
    summary: str
    agent: str | None
    created_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None

    @field_validator("created_at", "claimed_at", "resolved_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """Stored in UTC; SQLite hands them back without the offset (RFC 3339 needs one)."""
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


class HandoffQueue:
    """Opens tickets for the graph (a `HandoffDesk`) and lists them for agents; announces
    new tickets to a webhook when one is configured."""

    def __init__(self, engine: AsyncEngine, webhook: HandoffWebhook | None = None):
        self.engine = engine
        self.webhook = webhook

    async def open_ticket(self, request: HandoffRequest) -> str:
        ticket_id = f"h_{uuid.uuid4().hex[:16]}"
        now = datetime.now(UTC)
        async with self.engine.begin() as conn:  # ticket and status change together or not at all
            await conn.execute(
                insert(handoffs).values(
                    id=ticket_id,
                    conversation_id=request.conversation_id,
                    status="open",
                    reason=request.reason,
                    intent=request.intent,
                    summary=request.summary,
                    created_at=now,
                )
            )
            await conn.execute(
                update(conversations)
                .where(conversations.c.id == request.conversation_id)
                .values(status="handoff_pending", updated_at=now)
            )
        HANDOFFS.labels(reason=request.reason.split(",")[0].split(":")[0] or "requested").inc()
        if self.webhook is not None:
            self.webhook.notify(_announcement(ticket_id, request, now))
        return ticket_id

    async def transition(
        self,
        ticket_id: str,
        allowed_from: tuple[str, ...],
        to: str,
        conversation_status: str,
        **values: object,
    ) -> bool:
        """Move a ticket to `to` if it is in one of `allowed_from`; the conversation's status
        follows in the same transaction. False when the ticket was not in an allowed state."""
        now = datetime.now(UTC)
        async with self.engine.begin() as conn:
            moved = await conn.execute(
                update(handoffs)
                .where(handoffs.c.id == ticket_id, handoffs.c.status.in_(allowed_from))
                .values(status=to, **values)
                .returning(handoffs.c.conversation_id)
            )
            conversation_id = moved.scalar_one_or_none()
            if conversation_id is None:
                return False
            await conn.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(status=conversation_status, updated_at=now)
            )
        return True

    async def get(self, ticket_id: str) -> Ticket | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(handoffs).where(handoffs.c.id == ticket_id))).first()
        return Ticket(**row._mapping) if row else None

    async def agent_of(self, conversation_id: str) -> str | None:
        """The agent who has claimed the conversation's ticket, if one has."""
        query = select(handoffs.c.agent).where(
            handoffs.c.conversation_id == conversation_id, handoffs.c.status == "claimed"
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(query.limit(1))).scalar_one_or_none()

    async def list(self, status: str | None = None) -> list[Ticket]:
        query = select(handoffs).order_by(handoffs.c.created_at)
        if status:
            query = query.where(handoffs.c.status == status)
        async with self.engine.connect() as conn:
            return [Ticket(**row._mapping) for row in await conn.execute(query)]


def _announcement(ticket_id: str, request: HandoffRequest, at: datetime) -> dict[str, str]:
    """What a helpdesk is told: ids and categories, never text from the conversation."""
    return {
        "event": "handoff.created",
        "handoff_id": ticket_id,
        "conversation_id": request.conversation_id,
        "reason": request.reason,
        "intent": request.intent,
        "created_at": at.isoformat(),
    }
