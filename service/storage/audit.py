"""`AuditLog`: an append-only, hash-chained record of every decision, per conversation.

Each event's hash covers the previous event's hash and the event's own fields in canonical
JSON, so changing, deleting or reordering any stored event breaks the chain from there on.
Events are written to the database directly (never through the trace exporter), so they
survive restarts and an exporter outage alike.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from service.storage.audit_search import AuditPage, AuditQuery, search_conversations
from service.storage.tables import audit_events, conversations

GENESIS = "0" * 64
APPEND_ATTEMPTS = 5


@dataclass(frozen=True)
class AuditEvent:
    conversation_id: str
    seq: int
    at: str
    trace_id: str
    kind: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def public(self) -> dict[str, Any]:
        """The event as the audit API shows it."""
        data = asdict(self)
        data.pop("conversation_id")
        return data


def event_hash(
    prev_hash: str, conversation_id: str, seq: int, at: str, trace_id: str, kind: str, detail: str
) -> str:
    fields = [prev_hash, conversation_id, seq, at, trace_id, kind, detail]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class AuditLog:
    def __init__(self, engine: AsyncEngine):
        self.engine = engine

    async def append(
        self, conversation_id: str, trace_id: str, kind: str, detail: dict[str, Any]
    ) -> None:
        """Add one event at the end of the conversation's chain (retrying a lost race)."""
        for _ in range(APPEND_ATTEMPTS):
            try:
                await self._append_once(conversation_id, trace_id, kind, canonical(detail))
                return
            except IntegrityError:  # another writer took this seq: chain onto theirs
                continue
        raise RuntimeError("could not append the audit event")

    async def _append_once(
        self, conversation_id: str, trace_id: str, kind: str, detail: str
    ) -> None:
        async with self.engine.begin() as conn:
            seq, prev = await self._tail(conn, conversation_id)
            at = datetime.now(UTC).isoformat(timespec="microseconds")
            digest = event_hash(prev, conversation_id, seq + 1, at, trace_id, kind, detail)
            await conn.execute(
                insert(audit_events).values(
                    conversation_id=conversation_id, seq=seq + 1, at=at, trace_id=trace_id,
                    kind=kind, detail=detail, prev_hash=prev, hash=digest,
                )
            )  # fmt: skip
            await conn.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(audit_count=seq + 1, audit_head=digest)
            )

    async def head(self, conversation_id: str) -> tuple[int, str | None]:
        """The chain length and last hash recorded beside the conversation."""
        query = select(conversations.c.audit_count, conversations.c.audit_head).where(
            conversations.c.id == conversation_id
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row.audit_count, row.audit_head) if row else (0, None)

    async def verify(self, conversation_id: str) -> list[str]:
        """All problems with one conversation's chain; empty when it is intact."""
        events = await self.events(conversation_id)
        problems = chain_problems(events)
        count, head = await self.head(conversation_id)
        if count != len(events) or (events and events[-1].hash != head):
            problems.append(
                f"chain head: {count} events recorded, {len(events)} present (truncated?)"
            )
        return problems

    async def _tail(self, conn: Any, conversation_id: str) -> tuple[int, str]:
        last = await conn.execute(
            select(audit_events.c.seq, audit_events.c.hash)
            .where(audit_events.c.conversation_id == conversation_id)
            .order_by(audit_events.c.seq.desc())
            .limit(1)
        )
        row = last.first()
        return (row.seq, row.hash) if row else (0, GENESIS)

    async def events(self, conversation_id: str) -> list[AuditEvent]:
        query = (
            select(audit_events)
            .where(audit_events.c.conversation_id == conversation_id)
            .order_by(audit_events.c.seq)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_event(row) for row in rows]

    async def events_of_kind(self, kind: str) -> list[AuditEvent]:
        """Every conversation's events of one kind (`feedback.given`, ...), oldest first."""
        query = select(audit_events).where(audit_events.c.kind == kind).order_by(audit_events.c.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_event(row) for row in rows]

    async def search(self, query: AuditQuery) -> AuditPage:
        """The conversations whose recorded decisions match every filter, one page."""
        return await search_conversations(self.engine, query)

    async def conversations(self) -> list[str]:
        query = select(audit_events.c.conversation_id).group_by(audit_events.c.conversation_id)
        async with self.engine.connect() as conn:
            return [
                row[0] for row in await conn.execute(query.order_by(func.min(audit_events.c.id)))
            ]


def _event(row: Any) -> AuditEvent:
    return AuditEvent(
        conversation_id=row["conversation_id"], seq=row["seq"], at=row["at"],
        trace_id=row["trace_id"], kind=row["kind"], detail=json.loads(row["detail"]),
        prev_hash=row["prev_hash"], hash=row["hash"],
    )  # fmt: skip


def chain_problems(events: list[AuditEvent]) -> list[str]:
    """Every break in a conversation's chain: edited, deleted, inserted or reordered events."""
    problems, prev = [], GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            problems.append(f"seq {event.seq}: expected seq {expected_seq} (an event is missing)")
        if event.prev_hash != prev:
            problems.append(f"seq {event.seq}: prev_hash does not match the previous event")
        recomputed = event_hash(
            event.prev_hash, event.conversation_id, event.seq, event.at, event.trace_id,
            event.kind, canonical(event.detail),
        )  # fmt: skip
        if recomputed != event.hash:
            problems.append(f"seq {event.seq}: hash does not match the event's content")
        prev = event.hash
    return problems
