"""Bearer tokens at the gateway: conversation tokens expire and survive a key rotation;
expired and forged ones get a clear 401; agent and auditor tokens grant only their own role."""

from __future__ import annotations

import asyncio

import httpx
from pydantic import SecretStr

from service.config import Settings
from tests.integration.gateway.conftest import AppClient

AGENT = {"Authorization": "Bearer dev-agent-token"}
AUDITOR = {"Authorization": "Bearer dev-auditor-token"}
NAME = "Ann Lee"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def keyed(settings: Settings, key: str, *previous: str) -> Settings:
    return settings.model_copy(
        update={
            "secret_key": SecretStr(key),
            "previous_secret_keys": [SecretStr(old) for old in previous],
        }
    )


async def first_turn(client: httpx.AsyncClient) -> dict[str, str]:
    answer = await client.post("/v1/chat", json={"message": f"Hi, I am {NAME}."})
    assert answer.status_code == 200
    body: dict[str, str] = answer.json()
    return body


async def next_turn(client: httpx.AsyncClient, first: dict[str, str]) -> httpx.Response:
    body = {"message": "Are you still there?", "conversation_id": first["conversation_id"]}
    return await client.post("/v1/chat", json=body, headers=bearer(first["conversation_token"]))


async def transcript(client: httpx.AsyncClient, conversation: str, token: str) -> httpx.Response:
    return await client.get(f"/v1/conversations/{conversation}", headers=bearer(token))


async def test_an_expired_token_gets_401_saying_it_expired(
    app_client: AppClient, settings: Settings
) -> None:
    brief = settings.model_copy(update={"conversation_token_ttl_hours": 1 / 3600})
    async with app_client(app_settings=brief) as client:
        first = await first_turn(client)
        await asyncio.sleep(1.1)
        refused = await next_turn(client, first)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["title"] == "Conversation token expired"
    assert 'error_description="expired"' in refused.headers["WWW-Authenticate"]


async def test_a_forged_token_gets_401_saying_it_is_invalid(app_client: AppClient) -> None:
    async with app_client() as client:
        first = await first_turn(client)
        header, claims, signature = first["conversation_token"].split(".")
        forged = f"{header}.{claims}.{signature[::-1]}"
        refused = await transcript(client, first["conversation_id"], forged)
    assert refused.status_code == 401
    assert refused.json()["title"] == "Invalid conversation token"


async def test_a_rotated_key_keeps_open_conversations_and_their_vaults(
    app_client: AppClient, settings: Settings
) -> None:
    async with app_client(app_settings=keyed(settings, "old-key")) as client:
        first = await first_turn(client)
    async with app_client(app_settings=keyed(settings, "new-key", "old-key")) as client:
        read = await transcript(client, first["conversation_id"], first["conversation_token"])
        later = await next_turn(client, first)
    assert read.status_code == 200 and NAME in read.json()["messages"][0]["content"]
    assert later.status_code == 200
    async with app_client(app_settings=keyed(settings, "new-key")) as client:
        fresh = await transcript(
            client, first["conversation_id"], later.json()["conversation_token"]
        )
        stale = await transcript(client, first["conversation_id"], first["conversation_token"])
    assert fresh.status_code == 200 and NAME in fresh.json()["messages"][0]["content"]
    assert stale.status_code == 401, "a key dropped from the list no longer opens anything"


async def test_agent_and_auditor_tokens_never_grant_each_others_rights(
    app_client: AppClient,
) -> None:
    async with app_client() as client:
        first = await first_turn(client)
        conversation = first["conversation_id"]
        answers = [
            await client.get(f"/v1/audit/conversations/{conversation}", headers=AGENT),
            await client.get("/v1/audit/conversations", headers=AGENT),
            await client.get("/v1/handoffs", headers=AUDITOR),
            await client.get(f"/v1/conversations/{conversation}", headers=AGENT),
            await client.get(f"/v1/conversations/{conversation}", headers=AUDITOR),
        ]
        own = [
            await client.get(f"/v1/audit/conversations/{conversation}", headers=AUDITOR),
            await client.get("/v1/handoffs", headers=AGENT),
        ]
    assert [answer.status_code for answer in answers] == [401] * 5
    assert [answer.status_code for answer in own] == [200, 200]
