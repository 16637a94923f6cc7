"""Handoff end to end in-process: the graph pauses for a human, the agent API drives it."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import SecretStr

from service.config import Settings
from service.webhooks import HandoffWebhook
from tests.conftest import ScriptedModel
from tests.integration.gateway.conftest import AppClient

AGENT = {"Authorization": "Bearer dev-agent-token"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def ask_for_human(client: httpx.AsyncClient) -> dict[str, str]:
    reply = await client.post(
        "/v1/chat", json={"message": "I want to talk to a human agent please"}
    )
    assert reply.status_code == 200
    body: dict[str, str] = reply.json()
    assert body["route"] == "handoff" and body["handoff_id"]
    return body


async def test_explicit_request_opens_a_ticket_and_the_bot_stops_answering(
    app_client: AppClient,
) -> None:
    model = ScriptedModel("bot words")
    async with app_client(model) as client:
        turn = await ask_for_human(client)
        calls_before = len(model.calls)
        later = (
            await client.post(
                "/v1/chat", json={"message": "hello?"}, headers=bearer(turn["conversation_token"])
            )
        ).json()
        queue = (await client.get("/v1/handoffs?status=open", headers=AGENT)).json()["handoffs"]
    assert later["route"] == "handoff" and len(model.calls) == calls_before
    assert turn["handoff_id"] in [t["id"] for t in queue]


async def test_agent_claims_writes_and_resolves_and_the_bot_takes_back(
    app_client: AppClient,
) -> None:
    model = ScriptedModel("Back to the bot.")
    async with app_client(model) as client:
        turn = await ask_for_human(client)
        ticket = turn["handoff_id"]
        claimed = await client.post(
            f"/v1/handoffs/{ticket}/claim", json={"agent": "Sam"}, headers=AGENT
        )
        posted = await client.post(
            f"/v1/handoffs/{ticket}/messages",
            json={"content": "Hi, Sam here. How can I help?"},
            headers=AGENT,
        )
        convo = (
            await client.get(
                f"/v1/conversations/{turn['conversation_id']}",
                headers=bearer(turn["conversation_token"]),
            )
        ).json()
        resolved = await client.post(f"/v1/handoffs/{ticket}/resolve", headers=AGENT)
        after = (
            await client.post(
                "/v1/chat",
                json={"message": "where is my order?"},
                headers=bearer(turn["conversation_token"]),
            )
        ).json()
        status = (
            await client.get(
                f"/v1/conversations/{turn['conversation_id']}",
                headers=bearer(turn["conversation_token"]),
            )
        ).json()
    assert claimed.json()["status"] == "claimed" and posted.status_code == 200
    assert convo["status"] == "with_agent"
    assert (
        convo["messages"][-1]["role"] == "agent"
        and "How can I help" in convo["messages"][-1]["content"]
    )
    assert resolved.json()["status"] == "resolved"
    assert after["route"] == "assistant" and after["reply"].startswith("Back to the bot")
    assert status["status"] == "bot"


async def test_the_customer_sees_the_agents_own_name_but_no_one_elses(
    app_client: AppClient,
) -> None:
    async with app_client() as client:
        turn = await ask_for_human(client)
        ticket = turn["handoff_id"]
        await client.post(f"/v1/handoffs/{ticket}/claim", json={"agent": "Ann"}, headers=AGENT)
        posted = await client.post(
            f"/v1/handoffs/{ticket}/messages",
            json={"content": "Hello, this is Ann from support. Bartholomew Quist will call."},
            headers=AGENT,
        )
    assert "this is Ann from support" in posted.text
    assert "Bartholomew" not in posted.text and "Quist" not in posted.text


async def test_the_customer_reads_the_name_of_the_agent_who_took_the_conversation(
    app_client: AppClient,
) -> None:
    async with app_client() as client:
        turn = await ask_for_human(client)
        url, token = f"/v1/conversations/{turn['conversation_id']}", turn["conversation_token"]
        waiting = (await client.get(url, headers=bearer(token))).json()
        await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/claim", json={"agent": "Ann"}, headers=AGENT
        )
        helped = (await client.get(url, headers=bearer(token))).json()
        await client.post(f"/v1/handoffs/{turn['handoff_id']}/resolve", headers=AGENT)
        after = (await client.get(url, headers=bearer(token))).json()
    assert waiting["agent"] is None and helped["agent"] == "Ann" and after["agent"] is None
    assert helped["status"] == "with_agent"


async def test_agent_sees_the_case_redacted(app_client: AppClient) -> None:
    async with app_client() as client:
        first = (
            await client.post(
                "/v1/chat", json={"message": "Hi, I'm Philippa Vandersloot, philippa.v@example.com"}
            )
        ).json()
        await client.post(
            "/v1/chat",
            json={"message": "I need a real person now"},
            headers=bearer(first["conversation_token"]),
        )
        tickets = (await client.get("/v1/handoffs", headers=AGENT)).json()["handoffs"]
        ticket = next(t for t in tickets if t["conversation_id"] == first["conversation_id"])
        detail = (await client.get(f"/v1/handoffs/{ticket['id']}", headers=AGENT)).text
    assert "Philippa" not in detail and "philippa.v@example.com" not in detail
    assert "<PERSON_1>" in detail


async def test_agent_api_needs_the_agent_token(app_client: AppClient) -> None:
    async with app_client() as client:
        turn = await ask_for_human(client)
        answers = [
            await client.get("/v1/handoffs"),
            await client.get("/v1/handoffs", headers={"Authorization": "Bearer wrong"}),
            await client.post(
                f"/v1/handoffs/{turn['handoff_id']}/claim",
                json={"agent": "x"},
                headers=bearer(turn["conversation_token"]),
            ),
        ]
    assert [a.status_code for a in answers] == [401, 401, 401]


async def test_claiming_twice_or_an_unknown_ticket_is_refused(app_client: AppClient) -> None:
    async with app_client() as client:
        turn = await ask_for_human(client)
        first = await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/claim", json={"agent": "A"}, headers=AGENT
        )
        second = await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/claim", json={"agent": "B"}, headers=AGENT
        )
        unknown = await client.post("/v1/handoffs/h_nope/claim", json={"agent": "B"}, headers=AGENT)
    assert (first.status_code, second.status_code, unknown.status_code) == (200, 409, 404)
    assert second.json()["detail"] == "ticket is claimed, not open"


async def test_pending_handoff_survives_a_restart(app_client: AppClient) -> None:
    async with app_client() as client:
        turn = await ask_for_human(client)
    async with app_client() as client:
        queue = (await client.get("/v1/handoffs?status=open", headers=AGENT)).json()["handoffs"]
        relayed = (
            await client.post(
                "/v1/chat",
                json={"message": "still waiting"},
                headers=bearer(turn["conversation_token"]),
            )
        ).json()
        posted = await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/messages", json={"content": "On it!"}, headers=AGENT
        )
        convo = (
            await client.get(
                f"/v1/conversations/{turn['conversation_id']}",
                headers=bearer(turn["conversation_token"]),
            )
        ).json()
    assert turn["handoff_id"] in [t["id"] for t in queue]
    assert relayed["route"] == "handoff" and posted.status_code == 200
    assert [m["role"] for m in convo["messages"]][-3:] == ["assistant", "user", "agent"]


async def test_new_handoff_is_announced_without_conversation_text(
    app_client: AppClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, str]] = []

    async def capture(self: HandoffWebhook, payload: dict[str, str]) -> bool:
        sent.append(payload)
        return True

    monkeypatch.setattr(HandoffWebhook, "deliver", capture)
    hooked = settings.model_copy(
        update={
            "handoff_webhook_url": "http://127.0.0.1:9/hook",
            "handoff_webhook_secret": SecretStr("k"),
        }
    )
    async with app_client(app_settings=hooked) as client:
        reply = (
            await client.post(
                "/v1/chat", json={"message": "I'm Ottoline Brackenbury, get me a human agent"}
            )
        ).json()
    assert [p["handoff_id"] for p in sent] == [reply["handoff_id"]]
    assert "Ottoline" not in json.dumps(sent) and "<PERSON" not in json.dumps(sent)


async def test_accepting_an_offered_human_hands_off(app_client: AppClient) -> None:
    async with app_client() as client:
        headers: dict[str, str] = {}
        replies = []
        for message in ["WHERE IS MY ORDER, this is ridiculous, third time I ask", "yes please"]:
            answer = (
                await client.post("/v1/chat", json={"message": message}, headers=headers)
            ).json()
            headers = {"Authorization": f"Bearer {answer['conversation_token']}"}
            replies.append(answer)
    assert replies[0]["route"] == "assistant" and "support team" in replies[0]["reply"]
    assert replies[1]["route"] == "handoff"
