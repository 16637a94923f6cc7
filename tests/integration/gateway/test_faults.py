"""Faults: a slow or absent model server and an unreachable database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from graphs import ModelUnavailable
from service.config import Settings
from tests.conftest import ScriptedModel, free_port
from tests.integration.gateway.conftest import AppClient


async def test_unreachable_model_server_gets_a_fallback_within_seconds(
    app_client: AppClient, settings: Settings
) -> None:
    from service.model_client import ModelServerClient

    nobody = ModelServerClient(f"http://127.0.0.1:{free_port()}", timeout_s=60, read_timeout_s=2)
    started = time.monotonic()
    async with app_client(nobody) as client:
        reply = await client.post("/v1/chat", json={"message": "Can I change my delivery address?"})
    assert reply.status_code == 200 and time.monotonic() - started < 10
    assert reply.json()["route"] == "handoff" and "support team" in reply.json()["reply"]


async def test_model_silence_past_the_read_timeout_falls_back(app_client: AppClient) -> None:
    class StalledModel(ScriptedModel):
        async def stream(self, *args: object, **kwargs: object) -> AsyncIterator[str]:
            await asyncio.sleep(0.2)
            raise ModelUnavailable("ReadTimeout")
            yield ""

    async with app_client(StalledModel()) as client:
        reply = (await client.post("/v1/chat", json={"message": "Where is my refund?"})).json()
    assert reply["route"] == "handoff" and reply["handoff_id"]


@pytest.mark.postgres
async def test_database_down_answers_503_and_writes_nothing(
    app_client: AppClient, settings: Settings
) -> None:
    if not settings.is_postgres:
        pytest.skip("simulated on PostgreSQL, where the server can refuse connections")
    import psycopg

    async with app_client() as client:
        first = (await client.post("/v1/chat", json={"message": "Hi"})).json()
        auth = {"Authorization": f"Bearer {first['conversation_token']}"}
        db = settings.database_url.rsplit("/", 1)[1]
        with psycopg.connect(
            settings.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True
        ) as admin:
            admin.execute(f"ALTER DATABASE {db} ALLOW_CONNECTIONS false")
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db,)
            )
            try:
                down = await client.post(
                    "/v1/chat", json={"message": "Are you there?"}, headers=auth
                )
            finally:
                admin.execute(f"ALTER DATABASE {db} ALLOW_CONNECTIONS true")
        transcript = (
            await client.get(f"/v1/conversations/{first['conversation_id']}", headers=auth)
        ).json()
    assert down.status_code == 503 and down.headers["content-type"] == "application/problem+json"
    assert "Retry-After" in down.headers
    assert len(transcript["messages"]) == 2
