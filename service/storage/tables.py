"""The service's own tables. Every text column holds redacted text only."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

conversations = Table(
    "gc_conversations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("status", String(20), nullable=False),  # bot | handoff_pending | with_agent | closed
    Column("vault", LargeBinary, nullable=True),  # the placeholder mapping, encrypted
    Column("turn_lease_until", Float, nullable=False, default=0.0),  # one turn at a time
    Column("audit_count", Integer, nullable=False, default=0),  # the audit chain's length...
    Column("audit_head", String(64), nullable=True),  # ...and last hash: truncation shows
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

handoffs = Table(
    "gc_handoffs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("status", String(20), nullable=False),  # open | claimed | resolved
    Column("reason", Text, nullable=False),
    Column("intent", String(64), nullable=False),
    Column("summary", Text, nullable=False),
    Column("agent", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=True),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
)

audit_events = Table(
    "gc_audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),  # 1, 2, 3... per conversation
    Column("at", String(40), nullable=False),  # ISO 8601 text: hashed exactly as stored
    Column("trace_id", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("detail", Text, nullable=False),  # canonical JSON; redacted text and counts only
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("conversation_id", "seq", name="uq_audit_conversation_seq"),
)
