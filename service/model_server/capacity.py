"""`CapacityLimit`: an ASGI middleware that answers 503 with `Retry-After` at once when the
server already has as many chat requests in flight as it may hold, so nothing queues
without bound. Counting lasts until a streamed response is completely sent.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

LIMITED_PATH = "/v1/chat/completions"


class CapacityLimit:
    """At most `max_in_flight` chat completions at a time; the rest get 503 + Retry-After."""

    def __init__(self, app: ASGIApp, max_in_flight: int = 32, retry_after_s: int = 1):
        self.app = app
        self.max_in_flight = max_in_flight
        self.retry_after_s = retry_after_s
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_limited(scope):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            await self._refuse(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"error": {"message": "model server at capacity, retry shortly", "code": 503}}
        ).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"retry-after", str(self.retry_after_s).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_limited(scope: Scope) -> bool:
    return (
        scope["type"] == "http" and scope.get("method") == "POST" and scope["path"] == LIMITED_PATH
    )
