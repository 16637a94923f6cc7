"""The audit trail: one event per decision, hash-chained, tamper-evident, auditors only."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, update

from service.cli import main
from service.config import Settings
from service.storage.audit import AuditLog
from service.storage.database import open_engine
from service.storage.tables import audit_events
from tests.integration.gateway.conftest import AppClient

AUDITOR = {"Authorization": "Bearer dev-auditor-token"}
AGENT = {"Authorization": "Bearer dev-agent-token"}


async def two_turns(client: object) -> dict[str, str]:
    first = (
        await client.post(
            "/v1/chat", json={"message": "Hi, I am Bartholomew Finch, where is order 1234567?"}
        )
    ).json()  # type: ignore[attr-defined]
    auth = {"Authorization": f"Bearer {first['conversation_token']}"}
    await client.post("/v1/chat", json={"message": "get me a human agent"}, headers=auth)  # type: ignore[attr-defined]
    return first


async def test_each_decision_is_an_event_with_its_trace(app_client: AppClient) -> None:
    async with app_client() as client:
        first = await two_turns(client)
        trail = (
            await client.get(f"/v1/audit/conversations/{first['conversation_id']}", headers=AUDITOR)
        ).json()
    kinds = [e["kind"] for e in trail["events"]]
    assert kinds[:6] == [
        "message.received",
        "guard.input",
        "route.decided",
        "guard.output",
        "reply.sent",
        "message.received",
    ]
    assert "handoff.opened" in kinds
    assert trail["events"][0]["trace_id"] == first["trace_id"]
    assert "Bartholomew" not in str(trail) and "<PERSON_1>" in str(trail)
    assert [e["seq"] for e in trail["events"]] == list(range(1, len(kinds) + 1))


async def test_agent_actions_are_audited(app_client: AppClient) -> None:
    async with app_client() as client:
        first = await two_turns(client)
        ticket = (await client.get("/v1/handoffs?status=open", headers=AGENT)).json()["handoffs"][
            -1
        ]["id"]
        await client.post(f"/v1/handoffs/{ticket}/claim", json={"agent": "Kim"}, headers=AGENT)
        await client.post(f"/v1/handoffs/{ticket}/resolve", headers=AGENT)
        trail = (
            await client.get(f"/v1/audit/conversations/{first['conversation_id']}", headers=AUDITOR)
        ).json()
    assert [e["kind"] for e in trail["events"]][-2:] == ["handoff.claimed", "handoff.resolved"]


async def test_audit_api_is_for_auditors_only(app_client: AppClient) -> None:
    async with app_client() as client:
        first = await two_turns(client)
        path = f"/v1/audit/conversations/{first['conversation_id']}"
        answers = [
            await client.get(path),
            await client.get(path, headers=AGENT),
            await client.get(
                path, headers={"Authorization": f"Bearer {first['conversation_token']}"}
            ),
        ]
    assert [a.status_code for a in answers] == [401, 401, 401]


@pytest.mark.parametrize("tamper", ["edit", "delete_middle", "delete_last"])
async def test_tampering_with_the_chain_is_detected(
    app_client: AppClient,
    settings: Settings,
    tamper: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with app_client() as client:
        conversation = (await two_turns(client))["conversation_id"]
    engine = await open_engine(settings)
    log = AuditLog(engine)
    assert await log.verify(conversation) == []
    events = audit_events.c
    where = events.conversation_id == conversation
    async with engine.begin() as conn:
        if tamper == "edit":
            await conn.execute(
                update(audit_events).where(where, events.seq == 2).values(detail='{"allowed":true}')
            )
        elif tamper == "delete_middle":
            await conn.execute(delete(audit_events).where(where, events.seq == 3))
        else:
            last = len(await log.events(conversation))
            await conn.execute(delete(audit_events).where(where, events.seq == last))
    assert await log.verify(conversation) != []
    await engine.dispose()
    monkeypatch.setenv("GUARDCHAT_DATABASE_URL", settings.database_url)
    assert await asyncio.to_thread(main, ["audit", "verify", conversation]) == 1
    assert "1 broken" in capsys.readouterr().out


async def test_cli_shows_a_readable_timeline(
    app_client: AppClient,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with app_client() as client:
        conversation = (await two_turns(client))["conversation_id"]
    monkeypatch.setenv("GUARDCHAT_DATABASE_URL", settings.database_url)
    assert await asyncio.to_thread(main, ["audit", conversation]) == 0
    out = capsys.readouterr().out
    assert "route.decided" in out and "handoff.opened" in out
    assert await asyncio.to_thread(main, ["audit", "verify", conversation]) == 0


async def test_the_trail_says_whether_its_chain_is_intact(
    app_client: AppClient, settings: Settings
) -> None:
    async with app_client() as client:
        conversation = (await two_turns(client))["conversation_id"]
        path = f"/v1/audit/conversations/{conversation}"
        intact = (await client.get(path, headers=AUDITOR)).json()["chain"]
        engine = await open_engine(settings)
        async with engine.begin() as conn:
            where = audit_events.c.conversation_id == conversation
            await conn.execute(update(audit_events).where(where, audit_events.c.seq == 2).values(
                detail='{"allowed":true}'
            ))  # fmt: skip
        await engine.dispose()
        broken = (await client.get(path, headers=AUDITOR)).json()["chain"]
    assert intact == {"intact": True, "problems": []}
    assert broken["intact"] is False
    assert broken["problems"] == ["seq 2: hash does not match the event's content"]
