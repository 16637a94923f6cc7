"""`guardchat audit ID [--json]`, `guardchat audit verify [ID ...]` and `guardchat audit search
[filters]`: the audit trail read straight from the database, as a readable timeline or JSON, its
hash chain checked, and conversations found by what the trail recorded."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from service.config import Settings
from service.storage.audit import AuditEvent, AuditLog
from service.storage.audit_search import AuditQuery, ConversationSummary
from service.storage.database import open_engine


async def show_trail(settings: Settings, conversation_id: str, as_json: bool) -> tuple[str, int]:
    engine = await open_engine(settings)
    try:
        events = await AuditLog(engine).events(conversation_id)
    finally:
        await engine.dispose()
    if not events:
        return f"no audit events for conversation {conversation_id}", 1
    if as_json:
        body = {"conversation_id": conversation_id, "events": [e.public() for e in events]}
        return json.dumps(body, indent=2, ensure_ascii=False), 0
    return "\n".join(timeline_line(event) for event in events), 0


def timeline_line(event: AuditEvent) -> str:
    summary = _summary(event.detail)
    return f"{event.at}  #{event.seq:<3} {event.kind:<24} {summary}  trace={event.trace_id[:12]}"


def _summary(detail: dict[str, Any]) -> str:
    parts = []
    for key, value in detail.items():
        if isinstance(value, dict):
            value = ",".join(f"{k}={v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ",".join(str(v) for v in value) or "-"
        elif isinstance(value, str) and len(value) > 60:
            value = repr(value[:57] + "...")
        elif isinstance(value, str):
            value = repr(value)
        parts.append(f"{key}={value}")
    return " ".join(parts)


async def verify_trails(settings: Settings, conversation_ids: list[str]) -> tuple[str, int]:
    """Check every named chain (all of them when none is named)."""
    engine = await open_engine(settings)
    try:
        log = AuditLog(engine)
        ids = conversation_ids or await log.conversations()
        report = {cid: await log.verify(cid) for cid in ids}
    finally:
        await engine.dispose()
    broken = {cid: problems for cid, problems in report.items() if problems}
    lines = [f"{cid}: {problem}" for cid, problems in broken.items() for problem in problems]
    lines.append(f"{len(report)} chains checked, {len(broken)} broken")
    return "\n".join(lines), 1 if broken else 0


async def search_trails(settings: Settings, query: AuditQuery, output: str) -> tuple[str, int]:
    """Every conversation matching `query`, as a table, one JSON document or JSON Lines."""
    engine = await open_engine(settings)
    try:
        summaries = await all_matches(AuditLog(engine), query)
    finally:
        await engine.dispose()
    rows = [summary.public() for summary in summaries]
    if output == "json":
        return json.dumps({"conversations": rows}, indent=2, ensure_ascii=False), 0
    if output == "jsonl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows), 0
    return "\n".join([*map(summary_line, summaries), f"{len(rows)} conversations"]), 0


async def all_matches(log: AuditLog, query: AuditQuery) -> list[ConversationSummary]:
    found: list[ConversationSummary] = []
    offset: int | None = 0
    while offset is not None:
        page = await log.search(replace(query, offset=offset))
        found, offset = found + page.conversations, page.next_offset
    return found


def summary_line(summary: ConversationSummary) -> str:
    fields = ("routes", "intents", "handoff_reasons", "verdicts", "guard_reasons", "answered_by")
    described = " ".join(f"{name}={','.join(getattr(summary, name)) or '-'}" for name in fields)
    return f"{summary.started_at}  {summary.conversation_id}  {described}"
