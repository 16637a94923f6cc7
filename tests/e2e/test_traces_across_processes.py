"""One trace per turn across the gateway and the model server, exported over real OTLP to a
receiver speaking the collector's gRPC protocol (the HTTP/protobuf exporter is covered in
tests/unit/service/test_telemetry.py)."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.conftest import Served
from tests.e2e.otlp_receiver import ReceivedSpan, SpanSink

pytestmark = pytest.mark.slow


def test_gateway_and_model_server_spans_share_the_turns_trace(served: Served) -> None:
    message = {"message": "I would like to leave a review for the shoes I bought"}
    reply = httpx.post(f"{served.url}/v1/chat", json=message, timeout=120).json()
    spans = _wait_for(served.spans, reply["trace_id"])
    names = {(s.service, s.name) for s in spans}
    assert ("guardchat-gateway", "POST /v1/chat") in names
    assert ("guardchat-gateway", "node answer") in names
    model_spans = [s for s in spans if s.service == "guardchat-model-server"]
    assert model_spans and all(s.name.startswith("chat ") for s in model_spans)
    for span in model_spans:  # a reply withheld mid-stream is cancelled, then regenerated
        cancelled = span.attributes.get("gen_ai.response.cancelled") == "bool_value: true"
        assert cancelled or "gen_ai.usage.output_tokens" in span.attributes, span.attributes


def _wait_for(sink: SpanSink, trace_id: str, timeout_s: float = 30) -> list[ReceivedSpan]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        spans = sink.in_trace(trace_id)
        names = {(s.service, s.name.split(" ")[0]) for s in spans}
        if {("guardchat-gateway", "POST"), ("guardchat-model-server", "chat")} <= names:
            return spans
        time.sleep(0.5)
    return sink.in_trace(trace_id)
