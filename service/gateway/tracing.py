"""`RequestTracing`: one SERVER span per HTTP request (continuing an incoming `traceparent`),
and the `traceparent` of that span in every response, so a client can find its trace."""

from __future__ import annotations

from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from starlette.types import ASGIApp, Message, Receive, Scope, Send

tracer = trace.get_tracer("guardchat.gateway")


class RequestTracing:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        parent = extract({k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]})
        name = f"{scope['method']} {scope['path']}"
        with tracer.start_as_current_span(name, context=parent, kind=trace.SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", scope["method"])
            span.set_attribute("url.path", scope["path"])
            await self.app(scope, receive, _with_traceparent(send, span))


def _with_traceparent(send: Send, span: trace.Span) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            carrier: dict[str, str] = {}
            inject(carrier, context=trace.set_span_in_context(span, otel_context.get_current()))
            headers: list[Any] = list(message.get("headers", []))
            headers += [(k.encode(), v.encode()) for k, v in carrier.items()]
            message = {**message, "headers": headers}
            span.set_attribute("http.response.status_code", message["status"])
        await send(message)

    return sending
