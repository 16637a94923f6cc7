"""Agent assist through the API: each ticket's case at a glance (redacted), replies suggested
by the model through the bot's own grounding and output check, and what became of each
suggestion in the audit trail."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from graphs import ModelUnavailable
from tests.conftest import ScriptedModel
from tests.integration.gateway.conftest import AppClient
from tests.integration.gateway.test_audit import AGENT, AUDITOR


class SwitchableModel(ScriptedModel):
    """A scripted model whose server can go down."""

    down = False

    async def stream(self, *args: Any, **kwargs: Any) -> AsyncIterator[str]:
        if self.down:
            raise ModelUnavailable("connection refused")
        async for piece in super().stream(*args, **kwargs):
            yield piece


async def handed_off(client: httpx.AsyncClient, claim: bool = True) -> dict[str, str]:
    """A customer who gave their details, then asked for a person; the ticket claimed."""
    first = (
        await client.post(
            "/v1/chat",
            json={"message": "Hi, I'm Philippa Vandersloot, philippa.v@example.com, "
                  "my parcel never arrived"},
        )
    ).json()  # fmt: skip
    auth = {"Authorization": f"Bearer {first['conversation_token']}"}
    turn = (
        await client.post("/v1/chat", json={"message": "I need a real person now"}, headers=auth)
    ).json()
    assert turn["handoff_id"], turn
    if claim:
        path = f"/v1/handoffs/{turn['handoff_id']}/claim"
        assert (await client.post(path, json={"agent": "Sam"}, headers=AGENT)).status_code == 200
    return {**turn, "conversation_token": first["conversation_token"]}


async def suggest(client: httpx.AsyncClient, ticket: str) -> httpx.Response:
    return await client.post(f"/v1/handoffs/{ticket}/suggestion", headers=AGENT)


async def outcomes(client: httpx.AsyncClient, conversation_id: str) -> list[dict[str, Any]]:
    trail = await client.get(f"/v1/audit/conversations/{conversation_id}", headers=AUDITOR)
    kinds = ("suggestion.drafted", "suggestion.outcome")
    return [e["detail"] for e in trail.json()["events"] if e["kind"] in kinds]


async def test_a_ticket_shows_intent_category_reasons_and_a_redacted_summary(
    app_client: AppClient,
) -> None:
    async with app_client() as client:
        turn = await handed_off(client, claim=False)
        ticket = (await client.get(f"/v1/handoffs/{turn['handoff_id']}", headers=AGENT)).json()
    assist = ticket["assist"]
    assert assist["intent"] == ticket["intent"] and assist["category"] not in ("", "unknown")
    assert assist["reasons"] and ", " not in "".join(assist["reasons"])
    assert "<PERSON_1>" in assist["summary"] and "my parcel never arrived" in assist["summary"]
    assert "I need a real person now" in assist["summary"]
    assert "Philippa" not in json.dumps(ticket) and "philippa.v@" not in json.dumps(ticket)


async def test_a_suggestion_is_checked_and_redacted_like_a_bot_reply(
    app_client: AppClient,
) -> None:
    model = ScriptedModel(
        "I'm sorry your parcel is late. Please write to mallory.crane@example.net for a refund."
    )
    async with app_client(model) as client:
        turn = await handed_off(client)
        suggested = await suggest(client, turn["handoff_id"])
    assert suggested.status_code == 200, suggested.text
    body = suggested.json()
    assert body["text"].startswith("I'm sorry your parcel is late.") and body["source"] == "model"
    assert "mallory.crane" not in body["text"], "someone else's address never reaches the agent"
    assert "Philippa" not in json.dumps(model.calls)  # the model saw the redacted transcript


async def test_sent_as_is_edited_and_discarded_suggestions_are_audited(
    app_client: AppClient,
) -> None:
    async with app_client(ScriptedModel("Your parcel is on its way.")) as client:
        turn = await handed_off(client)
        ticket, messages = turn["handoff_id"], f"/v1/handoffs/{turn['handoff_id']}/messages"
        first = (await suggest(client, ticket)).json()
        await client.post(
            messages, json={"content": first["text"], "suggestion_id": first["suggestion_id"]},
            headers=AGENT,
        )  # fmt: skip
        second = (await suggest(client, ticket)).json()
        edited = "Hello, Sam here. Your parcel is on its way, it arrives Friday."
        await client.post(
            messages, json={"content": edited, "suggestion_id": second["suggestion_id"]},
            headers=AGENT,
        )  # fmt: skip
        third = (await suggest(client, ticket)).json()
        dropped = await client.post(
            f"/v1/handoffs/{ticket}/suggestion/{third['suggestion_id']}/discard", headers=AGENT
        )
        fourth = (await suggest(client, ticket)).json()
        await client.post(f"/v1/handoffs/{ticket}/resolve", headers=AGENT)
        recorded = await outcomes(client, turn["conversation_id"])
        metrics = (await client.get("/metrics")).text
    assert dropped.status_code == 204
    for outcome in ("drafted", "sent_as_is", "edited", "discarded"):
        assert f'guardchat_suggestions_total{{outcome="{outcome}"}}' in metrics
    settled = {d["suggestion_id"]: d["outcome"] for d in recorded if "outcome" in d}
    assert settled == {
        first["suggestion_id"]: "sent_as_is",
        second["suggestion_id"]: "edited",
        third["suggestion_id"]: "discarded",
        fourth["suggestion_id"]: "discarded",  # the agent resolved without sending it
    }
    drafted = [d for d in recorded if "text" in d]
    assert [d["text"] for d in drafted] == ["Your parcel is on its way."] * 4


async def test_a_message_that_ignores_a_suggestion_discards_it(app_client: AppClient) -> None:
    async with app_client() as client:
        turn = await handed_off(client)
        draft = (await suggest(client, turn["handoff_id"])).json()
        await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/messages", json={"content": "Hi!"}, headers=AGENT
        )
        again = await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/suggestion/{draft['suggestion_id']}/discard",
            headers=AGENT,
        )
        recorded = await outcomes(client, turn["conversation_id"])
    assert recorded[-1] == {
        "handoff_id": turn["handoff_id"], "suggestion_id": draft["suggestion_id"],
        "outcome": "discarded",
    }  # fmt: skip
    assert again.status_code == 404  # already settled: settled once only


async def test_with_the_model_down_the_agent_gets_a_clear_error_and_loses_nothing(
    app_client: AppClient,
) -> None:
    model = SwitchableModel()
    async with app_client(model) as client:
        turn = await handed_off(client)
        before = (await client.get(f"/v1/handoffs/{turn['handoff_id']}", headers=AGENT)).json()
        model.down = True
        suggested = await suggest(client, turn["handoff_id"])
        after = (await client.get(f"/v1/handoffs/{turn['handoff_id']}", headers=AGENT)).json()
        sent = await client.post(
            f"/v1/handoffs/{turn['handoff_id']}/messages",
            json={"content": "Sorry for the wait, I'm checking."}, headers=AGENT,
        )  # fmt: skip
    assert suggested.status_code == 503
    assert suggested.headers["content-type"].startswith("application/problem+json")
    assert "model is unavailable" in suggested.json()["detail"]
    assert after["transcript"] == before["transcript"] and after["status"] == "claimed"
    assert sent.status_code == 200


async def test_suggestions_are_for_agents_only(app_client: AppClient) -> None:
    async with app_client() as client:
        turn = await handed_off(client)
        path = f"/v1/handoffs/{turn['handoff_id']}/suggestion"
        customer = {"Authorization": f"Bearer {turn['conversation_token']}"}
        answers = [await client.post(path, headers=h) for h in ({}, AUDITOR, customer)]
    assert [a.status_code for a in answers] == [401, 401, 401]


async def test_a_resolved_ticket_gets_no_suggestion(app_client: AppClient) -> None:
    async with app_client() as client:
        turn = await handed_off(client)
        await client.post(f"/v1/handoffs/{turn['handoff_id']}/resolve", headers=AGENT)
        answer = await suggest(client, turn["handoff_id"])
        unknown = await suggest(client, "h_nope")
    assert (answer.status_code, unknown.status_code) == (409, 404)
