"""The auditors' API: `GET /v1/audit/conversations` searches the conversations by what the trail
recorded (a page, or every match as JSON Lines); `GET /v1/audit/conversations/{id}` shows one
conversation's decisions and whether its hash chain is intact."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from service.gateway.deps import GatewayDep, require_auditor
from service.gateway.problems import Problem
from service.gateway.text_types import ResourceId
from service.storage.audit import AuditLog
from service.storage.audit_search import AuditQuery

router = APIRouter(tags=["audit"], dependencies=[Depends(require_auditor)])

JSONL = "application/x-ndjson"
Route = Literal["assistant", "handoff", "refuse", "redirect", "relay"]


class AuditEventOut(BaseModel):
    seq: int
    at: str
    trace_id: str
    kind: str
    detail: dict[str, Any]
    hash: str
    prev_hash: str


class ChainCheck(BaseModel):
    """The hash chain recomputed from the stored events, and checked against its recorded head."""

    intact: bool
    problems: list[str]


class AuditTrail(BaseModel):
    conversation_id: str
    events: list[AuditEventOut]
    chain: ChainCheck


class ConversationSummaryOut(BaseModel):
    conversation_id: str
    started_at: str
    last_at: str
    routes: list[str]
    intents: list[str]
    handoff_reasons: list[str]
    verdicts: list[str]
    guard_reasons: list[str]
    answered_by: list[str]
    ratings: list[str]


class ConversationPage(BaseModel):
    conversations: list[ConversationSummaryOut]
    next_cursor: str | None


def audit_query(
    since: datetime | None = None,
    until: datetime | None = None,
    route: Route | None = None,
    reason: str | None = None,
    verdict: Literal["allow", "block"] | None = None,
    guard_reason: str | None = None,
    answered_by: str | None = None,
    rating: Literal["up", "down"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> AuditQuery:
    """The search filters from the query string (bad dates and values are a 422)."""
    return AuditQuery(
        since, until, route, reason, verdict, guard_reason, answered_by, rating,
        limit=limit, offset=_offset(cursor),
    )  # fmt: skip


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise Problem(400, "Invalid cursor", "use the next_cursor of the previous page")
    return int(cursor)


@router.get(
    "/v1/audit/conversations",
    response_model=ConversationPage,
    responses={200: {"content": {JSONL: {"schema": {"type": "string"}}}}, 400: {}, 401: {}},
)
async def search_conversations(
    gateway: GatewayDep,
    query: Annotated[AuditQuery, Depends(audit_query)],
    accept: Annotated[str, Header()] = "",
    format: Literal["json", "jsonl"] = "json",
) -> ConversationPage | StreamingResponse:
    if format == "jsonl" or JSONL in accept:
        return StreamingResponse(export_lines(gateway.audit, query), media_type=JSONL)
    page = await gateway.audit.search(query)
    next_cursor = None if page.next_offset is None else str(page.next_offset)
    summaries = [ConversationSummaryOut(**s.public()) for s in page.conversations]
    return ConversationPage(conversations=summaries, next_cursor=next_cursor)


async def export_lines(audit: AuditLog, query: AuditQuery) -> AsyncIterator[str]:
    """Every matching conversation from the cursor on, one JSON object a line."""
    offset: int | None = query.offset
    while offset is not None:
        page = await audit.search(replace(query, offset=offset))
        for summary in page.conversations:
            yield json.dumps(summary.public(), ensure_ascii=False) + "\n"
        offset = page.next_offset


@router.get("/v1/audit/conversations/{conversation_id}", response_model=AuditTrail)
async def read_audit_trail(conversation_id: ResourceId, gateway: GatewayDep) -> AuditTrail:
    events = await gateway.audit.events(conversation_id)
    if not events and await gateway.conversations.get(conversation_id) is None:
        raise Problem(404, "Unknown conversation")
    problems = await gateway.audit.verify(conversation_id)
    return AuditTrail(
        conversation_id=conversation_id,
        events=[AuditEventOut(**e.public()) for e in events],
        chain=ChainCheck(intact=not problems, problems=problems),
    )
