"""`BodySizeLimit`: requests larger than the configured size get 413 before they are read."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.gateway.problems import problem_response


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._within_limit(scope):
            await self.app(scope, _counting(receive, self.max_bytes), send)
            return
        await self._refuse(scope, receive, send)

    def _within_limit(self, scope: Scope) -> bool:
        for key, value in scope["headers"]:
            if key == b"content-length":
                return value.isdigit() and int(value) <= self.max_bytes
        return True

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request bodies are limited to {self.max_bytes} bytes"
        await problem_response(413, "Request too large", detail)(scope, receive, send)


class BodyTooLarge(Exception):
    """A chunked body grew past the limit while being read."""


def _counting(receive: Receive, max_bytes: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > max_bytes:
            raise BodyTooLarge()
        return message

    return counted
