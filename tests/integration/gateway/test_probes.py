"""Health probes and metric scrapes come often, from one address: they never meet the
per-client rate limit that everything else does."""

from __future__ import annotations

from service.config import Settings
from tests.integration.gateway.conftest import AppClient

PROBES = ("/healthz", "/readyz", "/metrics")
BURST = 60
"""Requests one client may make at once before the per-client limit answers 429."""


async def test_probes_and_scrapes_are_never_rate_limited(
    app_client: AppClient, settings: Settings
) -> None:
    slow_refill = settings.model_copy(update={"requests_per_minute_per_client": 1})
    async with app_client(app_settings=slow_refill) as client:
        probes = [await client.get(path) for path in PROBES * BURST]
        pages = [await client.get("/widget.js") for _ in range(BURST + 1)]
    assert {probe.status_code for probe in probes} == {200}
    assert pages[-1].status_code == 429, "the per-client limit still holds elsewhere"
