"""`ConversationStore`: each conversation's status, its sealed placeholder vault, and the
lease that lets only one turn run at a time (also across gateway replicas on one database).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from guards.redaction import PlaceholderVault, VaultError, open_vault, seal_vault
from service.storage.tables import conversations

TURN_LEASE_S = 15.0
"""A turn's lease is short and renewed while the turn runs: after a crash it frees quickly."""
RENEW_EVERY_S = 5.0


class ConversationBusy(RuntimeError):
    """Another turn of this conversation is still running."""


@dataclass(frozen=True)
class ConversationRecord:
    id: str
    status: str
    created_at: datetime


class ConversationStore:
    """Conversation rows; vaults are sealed under the first of the service's secret keys and
    opened under any of them (keys rotate)."""

    def __init__(self, engine: AsyncEngine, secret_keys: list[str]):
        self.engine = engine
        self.secret_keys = secret_keys

    async def create(self) -> ConversationRecord:
        now = datetime.now(UTC)
        record = ConversationRecord(id=f"c_{uuid.uuid4().hex}", status="bot", created_at=now)
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(conversations).values(
                    id=record.id,
                    status="bot",
                    turn_lease_until=0.0,
                    audit_count=0,
                    created_at=now,
                    updated_at=now,
                )
            )
        return record

    async def get(self, conversation_id: str) -> ConversationRecord | None:
        query = select(conversations.c.id, conversations.c.status, conversations.c.created_at)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query.where(conversations.c.id == conversation_id))).first()
        return ConversationRecord(row.id, row.status, row.created_at) if row else None

    async def close(self, conversation_id: str) -> None:
        """Close the conversation and delete its vault: its placeholders can never be
        restored again."""
        await self._update(conversation_id, status="closed", vault=None)

    async def close_idle(self, idle_for: timedelta) -> int:
        """Close every conversation idle for longer than `idle_for`; returns how many."""
        cutoff = datetime.now(UTC) - idle_for
        statement = (
            update(conversations)
            .where(conversations.c.updated_at < cutoff, conversations.c.status != "closed")
            .values(status="closed", vault=None, updated_at=datetime.now(UTC))
        )
        async with self.engine.begin() as conn:
            return (await conn.execute(statement)).rowcount

    async def load_vault(self, conversation_id: str) -> PlaceholderVault:
        query = select(conversations.c.vault).where(conversations.c.id == conversation_id)
        async with self.engine.connect() as conn:
            sealed = (await conn.execute(query)).scalar_one_or_none()
        return self._opened(sealed) if sealed else PlaceholderVault()

    def _opened(self, sealed: bytes) -> PlaceholderVault:
        for key in self.secret_keys[:-1]:
            with contextlib.suppress(VaultError):
                return open_vault(sealed, key)
        return open_vault(sealed, self.secret_keys[-1])

    async def save_vault(self, conversation_id: str, vault: PlaceholderVault) -> None:
        await self._update(conversation_id, vault=seal_vault(vault, self.secret_keys[0]))

    async def acquire_turn(self, conversation_id: str) -> None:
        """Take the conversation's turn lease, or raise `ConversationBusy`."""
        now = time.time()
        statement = (
            update(conversations)
            .where(conversations.c.id == conversation_id)
            .where(conversations.c.turn_lease_until < now)
            .values(turn_lease_until=now + TURN_LEASE_S)
        )
        async with self.engine.begin() as conn:
            if (await conn.execute(statement)).rowcount != 1:
                raise ConversationBusy(conversation_id)

    @asynccontextmanager
    async def hold_turn(self, conversation_id: str, wait_s: float = 0.0) -> AsyncIterator[None]:
        """Hold the conversation's turn lease for the block, renewing it in the background.
        Waits up to `wait_s` for another holder to finish, then raises `ConversationBusy`."""
        await self._acquire_within(conversation_id, wait_s)
        renewer = asyncio.create_task(self._renew(conversation_id))
        try:
            yield
        finally:
            renewer.cancel()
            await self.release_turn(conversation_id)

    async def _acquire_within(self, conversation_id: str, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                await self.acquire_turn(conversation_id)
                return
            except ConversationBusy:
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.2)

    async def _renew(self, conversation_id: str) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY_S)
            await self._update(conversation_id, turn_lease_until=time.time() + TURN_LEASE_S)

    async def release_turn(self, conversation_id: str) -> None:
        await self._update(conversation_id, turn_lease_until=0.0)

    async def _update(self, conversation_id: str, **values: object) -> None:
        statement = (
            update(conversations)
            .where(conversations.c.id == conversation_id)
            .values(**values, updated_at=datetime.now(UTC))
        )
        async with self.engine.begin() as conn:
            await conn.execute(statement)
