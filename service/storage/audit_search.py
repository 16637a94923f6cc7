"""Auditor search over the audit trail: each conversation summarised from the events it already
records (routes, intents, handoff reasons, guard verdicts and reasons, who answered), filtered
and paged. The trail holds redacted text and counts only, so the summaries do too."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.storage.tables import audit_events

SUMMARY_KINDS = ("guard.input", "route.decided", "guard.output", "handoff.opened", "feedback.given")


@dataclass(frozen=True)
class AuditQuery:
    """What an auditor searches by; every filter is optional and they all must hold."""

    since: datetime | None = None
    until: datetime | None = None
    route: str | None = None
    reason: str | None = None  # a handoff reason
    verdict: str | None = None  # the input guard's verdict: allow | block
    guard_reason: str | None = None  # any reason the input or output guard gave
    answered_by: str | None = None
    rating: str | None = None  # customer feedback: up | down
    limit: int = 50
    offset: int = 0


@dataclass
class ConversationSummary:
    conversation_id: str
    started_at: str
    last_at: str
    routes: list[str] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    handoff_reasons: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    guard_reasons: list[str] = field(default_factory=list)
    answered_by: list[str] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AuditPage:
    conversations: list[ConversationSummary]
    next_offset: int | None


def iso_utc(moment: datetime) -> str:
    """A moment as the trail stores it (UTC ISO 8601, microseconds), so text compares in order."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def _conversations_in_range(query: AuditQuery) -> Select[Any]:
    """The conversations with an event in the time range, oldest conversation first."""
    events = audit_events.c
    selected = select(events.conversation_id, func.min(events.at), func.max(events.at))
    if query.since is not None:
        selected = selected.where(events.at >= iso_utc(query.since))
    if query.until is not None:
        selected = selected.where(events.at <= iso_utc(query.until))
    grouped = selected.group_by(events.conversation_id)
    return grouped.order_by(func.min(events.id))


def _summary_events(conversation_ids: list[str]) -> Select[Any]:
    events = audit_events.c
    return (
        select(events.conversation_id, events.kind, events.detail)
        .where(events.conversation_id.in_(conversation_ids), events.kind.in_(SUMMARY_KINDS))
        .order_by(events.id)
    )


async def search_conversations(engine: AsyncEngine, query: AuditQuery) -> AuditPage:
    """One page of the conversations that match every filter in `query`."""
    async with engine.connect() as conn:
        ranged = (await conn.execute(_conversations_in_range(query))).all()
        summaries = {cid: ConversationSummary(cid, first, last) for cid, first, last in ranged}
        rows = (await conn.execute(_summary_events(list(summaries)))).all() if summaries else []
    for conversation_id, kind, detail in rows:
        add_event(summaries[conversation_id], kind, json.loads(detail))
    matching = [s for s in summaries.values() if matches(s, query)]
    page = matching[query.offset : query.offset + query.limit]
    more = query.offset + query.limit < len(matching)
    return AuditPage(page, query.offset + query.limit if more else None)


def add_event(summary: ConversationSummary, kind: str, detail: dict[str, Any]) -> None:
    """Fold one recorded decision into the conversation's summary."""
    if kind == "guard.input":
        _extend(summary.verdicts, ["allow" if detail.get("allowed", True) else "block"])
        _extend(summary.guard_reasons, reason_codes(detail.get("reasons", [])))
    elif kind == "route.decided":
        _extend(summary.routes, [detail.get("route")])
        _extend(summary.intents, [detail.get("intent")])
    elif kind == "guard.output":
        _extend(summary.guard_reasons, reason_codes(detail.get("reasons", [])))
        _extend(summary.answered_by, [detail.get("answered_by")])
    elif kind == "handoff.opened":
        _extend(summary.handoff_reasons, detail.get("reasons", []))
    elif kind == "feedback.given":
        _extend(summary.ratings, [detail.get("rating")])


def reason_codes(reasons: list[Any]) -> list[str]:
    """The guards' reason codes (`injection:prompt_extraction`), not the refusal text."""
    return [str(reason) for reason in reasons if not any(c.isspace() for c in str(reason))]


def _extend(values: list[str], new: Iterable[Any]) -> None:
    """Add each new, non-empty value once, keeping first-seen order."""
    for value in new:
        if value and str(value) not in values:
            values.append(str(value))


def matches(summary: ConversationSummary, query: AuditQuery) -> bool:
    wanted = [
        (query.route, summary.routes),
        (query.reason, summary.handoff_reasons),
        (query.verdict, summary.verdicts),
        (query.guard_reason, summary.guard_reasons),
        (query.answered_by, summary.answered_by),
        (query.rating, summary.ratings),
    ]
    return all(value is None or value in values for value, values in wanted)
