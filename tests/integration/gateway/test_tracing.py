"""Every graph node runs in its own span, all inside the turn's one trace."""

from __future__ import annotations

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from service.telemetry import setup_telemetry
from tests.conftest import ScriptedModel
from tests.integration.gateway.conftest import AppClient


async def test_each_node_has_a_span_in_the_turns_trace(app_client: AppClient) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("guardchat-test").add_span_processor(SimpleSpanProcessor(exporter))
    model = ScriptedModel("I can help with your refund.")
    async with app_client(model) as client:
        reply = (
            await client.post("/v1/chat", json={"message": "I want a refund for order 1234567"})
        ).json()
    spans = [
        s
        for s in exporter.get_finished_spans()
        if format(s.context.trace_id, "032x") == reply["trace_id"]
    ]
    names = {s.name for s in spans}
    assert {
        "POST /v1/chat",
        "turn",
        "node redact",
        "node screen",
        "node triage",
        "node answer",
        "node check_output",
    } <= names
    assert any(name.startswith("guard ") for name in names)
    assert model.metadata[-1]["traceparent"].split("-")[1] == reply["trace_id"]


async def test_spans_carry_counts_never_values(app_client: AppClient) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("guardchat-test").add_span_processor(SimpleSpanProcessor(exporter))
    async with app_client() as client:
        await client.post(
            "/v1/chat", json={"message": "My email is wanda.pike@example.net, order 1234567"}
        )
    attributes = [str(dict(s.attributes or {})) for s in exporter.get_finished_spans()]
    assert not any("wanda.pike@example.net" in a for a in attributes)
    assert any("redact.entities.EMAIL_ADDRESS" in a for a in attributes)


async def test_each_request_has_one_server_span_named_in_its_traceparent(
    app_client: AppClient,
) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("guardchat-test").add_span_processor(SimpleSpanProcessor(exporter))
    async with app_client() as client:
        answer = await client.post("/v1/chat", json={"message": "Where is my order 1234567?"})
        page = await client.get("/widget.js")
    servers = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert sorted(s.name for s in servers) == ["GET /widget.js", "POST /v1/chat"]
    for response in (answer, page):
        _, trace_id, span_id, _ = response.headers["traceparent"].split("-")
        named = [s for s in servers if format(s.context.span_id, "016x") == span_id]
        assert len(named) == 1 and format(named[0].context.trace_id, "032x") == trace_id
    assert answer.json()["trace_id"] == answer.headers["traceparent"].split("-")[1]
