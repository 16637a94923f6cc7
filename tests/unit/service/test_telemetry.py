"""Exporter choice from the standard OTEL_* variables, and a real OTLP/HTTP export."""

from __future__ import annotations

import pytest
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from service.telemetry import _exporter_from_env
from tests.e2e.otlp_receiver import SpanSink, start_http_receiver


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, type(None)),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, HttpExporter),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
            GrpcExporter,
        ),
        ({"OTEL_TRACES_EXPORTER": "console"}, ConsoleSpanExporter),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"},
            type(None),
        ),
    ],
)
def test_exporter_follows_the_standard_variables(
    env: dict[str, str], expected: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_TRACES_EXPORTER",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert isinstance(_exporter_from_env(), expected)


def test_spans_reach_an_otlp_http_receiver(monkeypatch: pytest.MonkeyPatch) -> None:
    sink = SpanSink()
    receiver = start_http_receiver(sink)
    monkeypatch.setenv(
        "OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{receiver.server_address[1]}"
    )
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
    provider = TracerProvider(resource=Resource.create({"service.name": "guardchat-test"}))
    provider.add_span_processor(SimpleSpanProcessor(_exporter_from_env()))  # type: ignore[arg-type]
    with provider.get_tracer("t").start_as_current_span("turn") as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
    provider.shutdown()
    receiver.shutdown()
    assert [(s.service, s.name) for s in sink.in_trace(trace_id)] == [("guardchat-test", "turn")]
