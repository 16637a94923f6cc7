"""`CapacityLimit`: over capacity, 503 with Retry-After at once; never an unbounded queue."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from service.model_server.capacity import CapacityLimit


def slow_app(release: asyncio.Event) -> Starlette:
    async def completions(_: Request) -> PlainTextResponse:
        await release.wait()
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
    app.add_middleware(CapacityLimit, max_in_flight=2, retry_after_s=3)
    return app


async def test_requests_over_capacity_are_refused_at_once_with_retry_after() -> None:
    release = asyncio.Event()
    transport = httpx.ASGITransport(app=slow_app(release))
    async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
        held = [asyncio.create_task(client.post("/v1/chat/completions")) for _ in range(2)]
        await asyncio.sleep(0.05)
        refused = await asyncio.wait_for(client.post("/v1/chat/completions"), timeout=1)
        release.set()
        done = await asyncio.gather(*held)
        after = await client.post("/v1/chat/completions")
    assert refused.status_code == 503 and refused.headers["retry-after"] == "3"
    assert [r.status_code for r in done] == [200, 200]
    assert after.status_code == 200
