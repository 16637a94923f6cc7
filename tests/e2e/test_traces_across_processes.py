"""One trace per turn across the gateway and the model server, exported over real OTLP
(gRPC and HTTP/protobuf) to a receiver speaking the collector's protocol."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.e2e.otlp_receiver import ReceivedSpan, SpanSink, start_grpc_receiver, start_http_receiver
from tests.e2e.test_two_processes import interrupt, start_service, wait_ready

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("protocol", ["grpc", "http/protobuf"])
def test_gateway_and_model_server_spans_share_the_turns_trace(
    tmp_path: Path, protocol: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = SpanSink()
    if protocol == "grpc":
        server, port = start_grpc_receiver(sink)
        stop = lambda: server.stop(0)  # noqa: E731
    else:
        http_server = start_http_receiver(sink)
        port, stop = http_server.server_address[1], http_server.shutdown
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", protocol)
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "200")
    url_port, model_port = free_port(), free_port()
    service = start_service(tmp_path, url_port, model_port)
    try:
        wait_ready(f"http://127.0.0.1:{url_port}", service)
        reply = httpx.post(
            f"http://127.0.0.1:{url_port}/v1/chat",
            json={"message": "How do I get an invoice?"},
            timeout=120,
        ).json()
        spans = _wait_for(sink, reply["trace_id"])
    finally:
        interrupt(service)
        stop()
    names = {(s.service, s.name) for s in spans}
    assert ("guardchat-gateway", "POST /v1/chat") in names
    assert ("guardchat-gateway", "node answer") in names
    assert any(svc == "guardchat-model-server" and name.startswith("chat ") for svc, name in names)
    model_span = next(
        s for s in spans if s.service == "guardchat-model-server" and s.name.startswith("chat ")
    )
    assert "gen_ai.usage.output_tokens" in model_span.attributes


def _wait_for(sink: SpanSink, trace_id: str, timeout_s: float = 30) -> list[ReceivedSpan]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        spans = sink.in_trace(trace_id)
        names = {(s.service, s.name.split(" ")[0]) for s in spans}
        if {("guardchat-gateway", "POST"), ("guardchat-model-server", "chat")} <= names:
            return spans
        time.sleep(0.5)
    return sink.in_trace(trace_id)
