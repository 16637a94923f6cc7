"""Customers rate the bot's replies: redacted, in the audit trail, counted, reported."""

from __future__ import annotations

import asyncio
import json

import pytest

from service.cli import main
from service.config import Settings
from tests.integration.gateway.conftest import AppClient
from tests.integration.gateway.test_audit import AGENT, AUDITOR, two_turns


def bearer(conversation: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {conversation['conversation_token']}"}


async def password_question(client: object) -> dict[str, str]:
    answer = await client.post("/v1/chat", json={"message": "How do I reset my password?"})  # type: ignore[attr-defined]
    return answer.json()  # type: ignore[no-any-return]


def feedback_path(conversation: dict[str, str]) -> str:
    return f"/v1/conversations/{conversation['conversation_id']}/feedback"


async def test_a_rating_joins_the_audit_trail_redacted(app_client: AppClient) -> None:
    comment = "Useless. Call me, Bartholomew Finch, at bart.finch@example.com"
    async with app_client() as client:
        chat = await password_question(client)
        rated = await client.post(
            feedback_path(chat),
            json={"message_index": 1, "rating": "down", "comment": comment},
            headers=bearer(chat),
        )
        trail = (
            await client.get(f"/v1/audit/conversations/{chat['conversation_id']}", headers=AUDITOR)
        ).json()
        verified = await client.get(
            "/v1/audit/conversations", headers=AUDITOR, params={"rating": "down"}
        )
    assert rated.status_code == 201, rated.text
    assert rated.json()["intent"] == "recover_password"
    event = trail["events"][-1]
    assert event["kind"] == "feedback.given" and event["detail"]["rating"] == "down"
    assert "Bartholomew" not in json.dumps(event) and "bart.finch@" not in json.dumps(event)
    assert "Bartholomew" not in rated.text
    assert chat["conversation_id"] in [
        c["conversation_id"] for c in verified.json()["conversations"]
    ]


async def test_only_bot_replies_can_be_rated(app_client: AppClient) -> None:
    async with app_client() as client:
        chat = await two_turns(client)
        ticket = (await client.get("/v1/handoffs?status=open", headers=AGENT)).json()["handoffs"][
            -1
        ]
        await client.post(
            f"/v1/handoffs/{ticket['id']}/claim", json={"agent": "Kim"}, headers=AGENT
        )
        await client.post(
            f"/v1/handoffs/{ticket['id']}/messages", json={"content": "Hi"}, headers=AGENT
        )
        lines = (
            await client.get(f"/v1/conversations/{chat['conversation_id']}", headers=bearer(chat))
        ).json()["messages"]
        agent_line = next(i for i, line in enumerate(lines) if line["role"] == "agent")
        answers = [
            await client.post(
                feedback_path(chat), json={"message_index": i, "rating": "up"}, headers=bearer(chat)
            )
            for i in (0, agent_line, 99)
        ]
    assert [a.status_code for a in answers] == [422, 422, 404]


async def test_only_the_conversations_token_rates(app_client: AppClient) -> None:
    async with app_client() as client:
        chat = await password_question(client)
        other = await password_question(client)
        body = {"message_index": 1, "rating": "up"}
        answers = [
            await client.post(feedback_path(chat), json=body),
            await client.post(feedback_path(chat), json=body, headers=bearer(other)),
            await client.post(feedback_path(chat), json=body, headers=AGENT),
            await client.post(
                feedback_path(chat), json={**body, "rating": "meh"}, headers=bearer(chat)
            ),
        ]
    assert [a.status_code for a in answers] == [401, 403, 401, 422]


async def test_ratings_are_counted_by_intent(app_client: AppClient) -> None:
    async with app_client() as client:
        chat = await password_question(client)
        body = {"message_index": 1, "rating": "down"}
        await client.post(feedback_path(chat), json=body, headers=bearer(chat))
        metrics = (await client.get("/metrics")).text
    assert 'guardchat_feedback_total{intent="recover_password",rating="down"}' in metrics


async def test_eval_feedback_shows_the_worst_first(
    app_client: AppClient,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with app_client() as client:
        password = await password_question(client)
        order = await two_turns(client)
        down = {"message_index": 1, "rating": "down", "comment": "did not help"}
        await client.post(feedback_path(password), json=down, headers=bearer(password))
        up = {"message_index": 1, "rating": "up"}
        await client.post(feedback_path(order), json=up, headers=bearer(order))
    monkeypatch.setenv("GUARDCHAT_DATABASE_URL", settings.database_url)
    assert await asyncio.to_thread(main, ["eval", "feedback"]) == 0
    text = capsys.readouterr().out
    assert text.index("recover_password") < text.index("track_order")
    assert "did not help" in text
    assert await asyncio.to_thread(main, ["eval", "feedback", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["intents"][0]["intent"] != "track_order"
    assert report["worst_replies"][0]["down"] >= 1
