"""POST /v1/chat and GET /v1/conversations/{id}, through the real graph and database."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator

import httpx

from graphs import ModelUnavailable
from guards.output_check import SAFE_FALLBACK_REPLY
from service.config import Settings
from service.storage.conversations import ConversationStore
from service.storage.database import open_engine
from tests.conftest import ScriptedModel
from tests.integration.gateway.conftest import AppClient
from tests.integration.gateway.storage_probe import database_contains


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_first_turn_opens_a_conversation_and_the_second_sees_the_first(
    app_client: AppClient,
) -> None:
    model = ScriptedModel("Sure, I can help you track your order.")
    async with app_client(model) as client:
        first = (
            await client.post("/v1/chat", json={"message": "Where is my order 1234567?"})
        ).json()
        assert first["route"] == "assistant" and first["reply"].startswith("Sure")
        second = await client.post(
            "/v1/chat",
            json={
                "message": "It was supposed to arrive yesterday.",
                "conversation_id": first["conversation_id"],
            },
            headers=bearer(first["conversation_token"]),
        )
    assert second.status_code == 200
    sent = [m["content"] for m in model.calls[-1] if m["role"] == "user"]
    assert sent == ["Where is my order 1234567?", "It was supposed to arrive yesterday."]


async def test_conversation_survives_a_gateway_restart(app_client: AppClient) -> None:
    async with app_client() as client:
        first = (
            await client.post("/v1/chat", json={"message": "Hello, I need help with my invoice"})
        ).json()
    model = ScriptedModel("Of course.")
    async with app_client(model) as client:
        again = await client.post(
            "/v1/chat",
            json={"message": "Still there?"},
            headers=bearer(first["conversation_token"]),
        )
        transcript = await client.get(
            f"/v1/conversations/{first['conversation_id']}",
            headers=bearer(first["conversation_token"]),
        )
    assert again.json()["conversation_id"] == first["conversation_id"]
    assert [m["role"] for m in transcript.json()["messages"]] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    assert len([m for m in model.calls[-1] if m["role"] == "user"]) == 2


async def test_later_turn_without_token_is_refused_and_loses_nothing(app_client: AppClient) -> None:
    async with app_client() as client:
        first = (await client.post("/v1/chat", json={"message": "Hi"})).json()
        refused = await client.post(
            "/v1/chat", json={"message": "x", "conversation_id": first["conversation_id"]}
        )
        transcript = await client.get(
            f"/v1/conversations/{first['conversation_id']}",
            headers=bearer(first["conversation_token"]),
        )
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert len(transcript.json()["messages"]) == 2


async def test_one_conversations_token_never_reads_another(app_client: AppClient) -> None:
    async with app_client() as client:
        mine = (await client.post("/v1/chat", json={"message": "Hi"})).json()
        theirs = (await client.post("/v1/chat", json={"message": "Hello"})).json()
        read = await client.get(
            f"/v1/conversations/{theirs['conversation_id']}",
            headers=bearer(mine["conversation_token"]),
        )
        write = await client.post(
            "/v1/chat",
            json={"message": "x", "conversation_id": theirs["conversation_id"]},
            headers=bearer(mine["conversation_token"]),
        )
    assert read.status_code == 403 and write.status_code == 403


async def test_streamed_turn_sends_meta_checked_deltas_and_done(app_client: AppClient) -> None:
    model = ScriptedModel("Your order ships tomorrow. You will get an email when it leaves.")
    events = await streamed_turn(app_client, model, "When will my order ship?")
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and "delta" in kinds
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    assert streamed == events[-1][1]["reply"]  # the deltas carry the spaces between sentences
    assert events[0][1]["conversation_id"] == events[-1][1]["conversation_id"]


async def test_numbered_steps_reach_the_customer_on_their_own_lines(app_client: AppClient) -> None:
    steps = "To change the address:\n1. Sign in.\n2. Open Orders.\n3. Choose Edit address."
    events = await streamed_turn(app_client, ScriptedModel(steps), "How do I change my address?")
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    assert events[-1][1]["reply"] == steps
    assert streamed.strip() == steps


async def test_a_list_whose_first_steps_were_skipped_still_counts_from_one(
    app_client: AppClient,
) -> None:
    model = ScriptedModel("Here is how:\n3. Open Orders.\n4. Choose Edit address.\nDone!")
    async with app_client(model) as client:
        reply = (await client.post("/v1/chat", json={"message": "Change my address"})).json()
    assert reply["reply"] == "Here is how:\n1. Open Orders.\n2. Choose Edit address.\nDone!"


async def test_customer_details_come_back_only_to_the_customer_and_are_stored_redacted(
    app_client: AppClient, settings: Settings
) -> None:
    model = ScriptedModel("Thanks <PERSON_1>, we will write to <EMAIL_ADDRESS_1> shortly.")
    async with app_client(model) as client:
        reply = (
            await client.post(
                "/v1/chat",
                json={
                    "message": "Hi, I am Zebediah Quartermaine, email zeb.q@example.org, "
                    "order 1234567"
                },
            )
        ).json()
        token = bearer(reply["conversation_token"])
        own = await client.get(f"/v1/conversations/{reply['conversation_id']}", headers=token)
    assert "Zebediah Quartermaine" in reply["reply"] and "zeb.q@example.org" in reply["reply"]
    assert "Zebediah Quartermaine" in own.json()["messages"][0]["content"]  # theirs, restored
    sent = json.dumps(model.calls)
    assert "Zebediah" not in sent and "zeb.q@example.org" not in sent and "1234567" in sent
    assert not database_contains(settings, "Zebediah", "zeb.q@example.org")


async def test_model_server_down_hands_the_customer_to_a_human(app_client: AppClient) -> None:
    class DownModel(ScriptedModel):
        async def stream(self, *args: object, **kwargs: object) -> AsyncIterator[str]:
            raise ModelUnavailable("connection refused")
            yield ""

    async with app_client(DownModel()) as client:
        reply = (
            await client.post("/v1/chat", json={"message": "How do I change my delivery address?"})
        ).json()
        status = await client.get(
            f"/v1/conversations/{reply['conversation_id']}",
            headers=bearer(reply["conversation_token"]),
        )
    assert reply["route"] == "handoff" and reply["handoff_id"]
    assert status.json()["status"] == "handoff_pending"


async def test_a_second_concurrent_turn_gets_409(app_client: AppClient) -> None:
    class SlowModel(ScriptedModel):
        async def stream(self, *args: object, **kwargs: object) -> AsyncIterator[str]:
            await asyncio.sleep(0.5)
            yield "Done."

    async with app_client(SlowModel()) as client:
        first = (await client.post("/v1/chat", json={"message": "Hi"})).json()
        auth = bearer(first["conversation_token"])
        one, two = await asyncio.gather(
            client.post("/v1/chat", json={"message": "Where is my refund?"}, headers=auth),
            client.post("/v1/chat", json={"message": "Hello??"}, headers=auth),
        )
    assert sorted([one.status_code, two.status_code]) == [200, 409]


async def test_bad_requests_are_problem_json_without_internals(
    app_client: AppClient, settings: Settings
) -> None:
    async with app_client() as client:
        responses = [
            await client.post(
                "/v1/chat", content=b"{not json", headers={"content-type": "application/json"}
            ),
            await client.post("/v1/chat", json={"message": ""}),
            await client.post("/v1/chat", json={"message": "x" * (settings.max_message_chars + 1)}),
            await client.post("/v1/chat", content=b"x" * (settings.max_request_bytes + 1)),
            await client.get("/v1/conversations/c_nope", headers=bearer("c_nope.forged")),
        ]
    assert [r.status_code for r in responses] == [422, 422, 413, 413, 401]
    for response in responses:
        assert response.headers["content-type"] == "application/problem+json"
        assert {"status", "title", "detail"} <= set(response.json())
        assert "Traceback" not in response.text


async def test_reply_carries_its_trace_id_in_body_and_traceparent(app_client: AppClient) -> None:
    async with app_client() as client:
        response = await client.post("/v1/chat", json={"message": "Hi there"})
    trace_id = response.headers["traceparent"].split("-")[1]
    assert response.json()["trace_id"] == trace_id


async def test_two_gateway_replicas_allow_one_turn_at_a_time(app_client: AppClient) -> None:
    class SlowModel(ScriptedModel):
        async def stream(self, *args: object, **kwargs: object) -> AsyncIterator[str]:
            await asyncio.sleep(0.5)
            yield "Done."

    async with app_client(SlowModel()) as one, app_client(SlowModel()) as two:
        first = (await one.post("/v1/chat", json={"message": "Hi"})).json()
        auth = bearer(first["conversation_token"])
        answers = await asyncio.gather(
            one.post("/v1/chat", json={"message": "Where is my refund?"}, headers=auth),
            two.post("/v1/chat", json={"message": "Hello??"}, headers=auth),
        )
    assert sorted(a.status_code for a in answers) == [200, 409]


async def test_a_streamed_turn_is_framed_for_eventsource_and_never_buffered(
    app_client: AppClient,
) -> None:
    headers = {"Accept": "text/event-stream"}
    async with (
        app_client(ScriptedModel("Your order ships tomorrow.")) as client,
        client.stream("POST", "/v1/chat", json={"message": "Hi"}, headers=headers) as stream,
    ):
        body = (await stream.aread()).decode()
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.headers["cache-control"] == "no-cache"
    assert stream.headers["x-accel-buffering"] == "no"
    blocks = body.removesuffix("\n\n").split("\n\n")
    assert all(re.fullmatch(r"event: \w+\ndata: \{.*\}", block) for block in blocks), body


async def streamed_turn(
    app_client: AppClient, model: ScriptedModel, message: str
) -> list[tuple[str, dict[str, object]]]:
    """One turn with `Accept: text/event-stream`: its (event, data) pairs."""
    headers = {"Accept": "text/event-stream"}
    async with (
        app_client(model) as client,
        client.stream("POST", "/v1/chat", json={"message": message}, headers=headers) as r,
    ):
        return [event async for event in server_sent_events(r)]


async def server_sent_events(
    response: httpx.Response,
) -> AsyncIterator[tuple[str, dict[str, object]]]:
    kind = ""
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            yield kind, json.loads(line[6:])


async def test_too_many_turns_get_429_with_retry_after(
    app_client: AppClient, settings: Settings
) -> None:
    strict = settings.model_copy(update={"turns_per_minute_per_client": 1})
    async with app_client(app_settings=strict) as client:
        answers = [await client.post("/v1/chat", json={"message": f"Hi {i}"}) for i in range(11)]
    refused = answers[-1]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.headers["content-type"] == "application/problem+json"


async def test_closing_a_conversation_deletes_its_vault_and_ends_it(
    app_client: AppClient, settings: Settings
) -> None:
    async with app_client() as client:
        first = (
            await client.post("/v1/chat", json={"message": "I'm Winifred Ashdown-Pole"})
        ).json()
        auth = bearer(first["conversation_token"])
        closed = await client.post(
            f"/v1/conversations/{first['conversation_id']}/close", headers=auth
        )
        later = await client.post("/v1/chat", json={"message": "hello?"}, headers=auth)
    assert closed.json()["status"] == "closed"
    assert later.status_code == 409 and later.json()["title"] == "Conversation closed"
    assert await vault_of(settings, first["conversation_id"]) is None


async def test_idle_conversations_expire_and_lose_their_vaults(
    app_client: AppClient, settings: Settings
) -> None:
    from datetime import timedelta

    async with app_client() as client:
        first = (
            await client.post("/v1/chat", json={"message": "I'm Winifred Ashdown-Pole"})
        ).json()
    engine = await open_engine(settings)
    store = ConversationStore(engine, settings.secret_keys)
    assert await store.close_idle(timedelta(hours=1)) == 0
    assert await store.close_idle(timedelta(seconds=0)) >= 1
    await engine.dispose()
    assert await vault_of(settings, first["conversation_id"]) is None


async def vault_of(settings: Settings, conversation_id: str) -> bytes | None:
    from sqlalchemy import select

    from service.storage.tables import conversations

    engine = await open_engine(settings)
    async with engine.connect() as conn:
        query = select(conversations.c.vault).where(conversations.c.id == conversation_id)
        vault = (await conn.execute(query)).scalar_one()
    await engine.dispose()
    return vault


async def test_nul_characters_are_refused_on_every_backend(app_client: AppClient) -> None:
    async with app_client() as client:
        refused = await client.post("/v1/chat", json={"message": "hello\u0000there"})
        path = await client.get(
            "/v1/audit/conversations/c_%00x", headers={"Authorization": "Bearer dev-auditor-token"}
        )
    assert refused.status_code == 422 and "NUL" in refused.json()["detail"]
    assert path.status_code == 422


async def test_a_failing_sentence_ends_the_stream_cleanly_and_is_never_sent(
    app_client: AppClient,
) -> None:
    model = ScriptedModel(
        "Your order ships tomorrow. For the pain you should take 800 mg of ibuprofen twice a day."
    )
    headers = {"Accept": "text/event-stream"}
    async with (
        app_client(model) as client,
        client.stream(
            "POST", "/v1/chat", json={"message": "When will my order ship?"}, headers=headers
        ) as r,
    ):
        events = [event async for event in server_sent_events(r)]
    streamed = "".join(str(data["text"]) for kind, data in events if kind == "delta")
    final = str(events[-1][1]["reply"])
    assert "ibuprofen" not in streamed and "ibuprofen" not in final
    assert streamed.startswith("Your order ships tomorrow.")
    assert "support team" in streamed and final == streamed
    assert len(model.calls) == 1  # something was already sent: ended, not regenerated


async def test_a_reply_failing_before_anything_is_sent_is_regenerated_once(
    app_client: AppClient,
) -> None:
    model = ScriptedModel(
        "You should take 800 mg of ibuprofen for that. Your order ships tomorrow.",
        "Your order ships tomorrow. I can't advise on medication, sorry.",
    )
    async with app_client(model) as client:
        reply = (await client.post("/v1/chat", json={"message": "When will my order ship?"})).json()
    assert reply["reply"].startswith("Your order ships tomorrow.")
    assert "ibuprofen" not in reply["reply"]
    assert len(model.calls) == 2
    retry_prompt = model.calls[1][0]["content"]
    assert "withheld" in retry_prompt and "advice:medical" in retry_prompt


async def test_a_regenerated_reply_that_fails_again_falls_back_to_offering_a_human(
    app_client: AppClient,
) -> None:
    model = ScriptedModel("You should take 800 mg of ibuprofen twice a day for the pain.")
    async with app_client(model) as client:
        reply = (await client.post("/v1/chat", json={"message": "When will my order ship?"})).json()
    assert reply["reply"] == SAFE_FALLBACK_REPLY and reply["answered_by"] == "fallback"
    assert len(model.calls) == 2  # one regeneration, never more


async def test_a_sentence_cut_off_by_the_token_limit_is_not_sent(app_client: AppClient) -> None:
    model = ScriptedModel("Sure, I can help with your order. Please log in and go to the")
    async with app_client(model) as client:
        reply = (await client.post("/v1/chat", json={"message": "Where is my order?"})).json()
    assert reply["reply"].startswith("Sure, I can help with your order.")
    assert "go to the" not in reply["reply"]


async def test_the_model_sees_the_companys_own_contacts_and_no_one_elses(
    app_client: AppClient,
) -> None:
    text = "My emails to support@acme-outfitters.example get no reply. I'm kim.lee@mailbox.org"
    model = ScriptedModel("Sorry about that.")
    async with app_client(model) as client:
        assert (await client.post("/v1/chat", json={"message": text})).status_code == 200
    said = model.calls[0][-1]["content"]
    assert "support@acme-outfitters.example" in said and "kim.lee@mailbox.org" not in said
