"""Rate limits across gateway replicas: with `GUARDCHAT_REDIS_URL` every replica counts
against the same limit, answered with 429, problem+json and Retry-After."""

from __future__ import annotations

from service.config import Settings
from tests.integration.gateway.conftest import AppClient

BURST = 60
"""Requests one client may make at once before the per-client limit answers 429."""


async def test_two_gateways_on_one_redis_share_the_per_client_limit(
    app_client: AppClient, settings: Settings, redis_url: str, redis_key_prefix: str
) -> None:
    shared = settings.model_copy(
        update={
            "redis_url": redis_url,
            "redis_key_prefix": redis_key_prefix,
            "requests_per_minute_per_client": 1,
        }
    )
    async with app_client(app_settings=shared) as first, app_client(app_settings=shared) as second:
        allowed = [await first.get("/widget.js") for _ in range(BURST)]
        refused = await second.get("/widget.js")
    assert {answer.status_code for answer in allowed} == {200}
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 3000, "one request a minute: the window is an hour"


async def test_without_redis_each_gateway_counts_its_own_requests(
    app_client: AppClient, settings: Settings
) -> None:
    local = settings.model_copy(update={"requests_per_minute_per_client": 1})
    async with app_client(app_settings=local) as first, app_client(app_settings=local) as second:
        [await first.get("/widget.js") for _ in range(BURST)]
        elsewhere = await second.get("/widget.js")
        again = await first.get("/widget.js")
    assert elsewhere.status_code == 200
    assert again.status_code == 429
