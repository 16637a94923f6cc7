"""The gateway's HTTP spans come from FastAPI's own OpenTelemetry support: one SERVER span per
request, continuing an incoming `traceparent`, with method, route, path and status (no client
address, no bodies). `TraceparentHeader` adds what no library writes: that span's
`traceparent` in every response, so a client can find its trace."""

from __future__ import annotations

from typing import Any

from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from opentelemetry.propagate import inject
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FASTAPI_TELEMETRY: TelemetryConfig = {"logs": False, "auto_configure": False}
"""FastAPI's telemetry with traces only: this process exports what `setup_telemetry` sets up,
and exception messages, which could quote a customer, never become log records."""


class TraceparentHeader:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server_span = trace.get_current_span()  # FastAPI's, before any span of its own inside
        await self.app(scope, receive, _with_traceparent(send, server_span))


def _with_traceparent(send: Send, span: trace.Span) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            carrier: dict[str, str] = {}
            inject(carrier, context=trace.set_span_in_context(span))
            headers: list[Any] = list(message.get("headers", []))
            headers += [(k.encode(), v.encode()) for k, v in carrier.items()]
            message = {**message, "headers": headers}
        await send(message)

    return sending
