"""The load client against a fake gateway: how turns are classified, tokens carried, bounds kept."""

from __future__ import annotations

import asyncio
import json
import os

import httpx
import pytest

from service.bench.load import (
    LoadError,
    LoadPlan,
    LoadReport,
    TurnOutcome,
    format_load_report,
    load,
    require_loopback,
    sample_memory,
)

URL = "http://127.0.0.1:9"


def fake_gateway(refuse_every: int = 0, status: int = 429) -> httpx.MockTransport:
    """Replies to /v1/chat as JSON or SSE; every `refuse_every`-th request is refused."""
    seen = {"count": 0}

    def reply(request: httpx.Request) -> httpx.Response:
        seen["count"] += 1
        if refuse_every and seen["count"] % refuse_every == 0:
            return httpx.Response(status, headers={"Retry-After": "1"}, json={"status": status})
        done = {
            "conversation_id": "c_1",
            "conversation_token": "c_1.t",
            "reply": "Hi",
            "route": "assistant",
        }
        if "text/event-stream" not in request.headers.get("accept", ""):
            return httpx.Response(200, json=done)
        meta = {"conversation_id": "c_1", "conversation_token": "c_1.t", "trace_id": "0"}
        body = "".join(
            f"event: {kind}\ndata: {json.dumps(data)}\n\n"
            for kind, data in (("meta", meta), ("delta", {"text": "Hi"}), ("done", done))
        )
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    return httpx.MockTransport(reply)


def run(transport: httpx.MockTransport, duration_s: float = 0.3, turns: int = 6) -> LoadReport:
    plan = LoadPlan(
        conversations=3, duration_s=duration_s, max_turns_per_customer=turns, distinct_clients=True
    )
    return asyncio.run(load(URL, plan, {"self": os.getpid()}, 0.1, 5.0, transport))


def test_json_and_streamed_turns_count_and_later_turns_carry_the_token() -> None:
    report = run(fake_gateway())
    assert report.turns_ok == 18 and report.json_ok == report.sse_ok == 9
    assert report.token_turns_ok == 12  # turns 2 and 3 of each 3-turn conversation
    assert report.unexpected_errors == 0 and report.latencies_s
    assert report.memory["self"].peak > 0 and len(report.memory["self"].samples) >= 2


def test_deliberate_refusals_are_counted_apart_from_errors() -> None:
    report = run(fake_gateway(refuse_every=3, status=429), duration_s=0.5, turns=3)
    assert report.refused["rate_limited"] >= 1 and report.unexpected_errors == 0


def test_other_statuses_are_errors() -> None:
    report = run(fake_gateway(refuse_every=1, status=500), turns=2)
    assert report.errors["http_500"] == 6 and report.turns_ok == 0


def test_percentiles_and_the_report_table() -> None:
    report = LoadReport(conversations=1, duration_s=1, elapsed_s=2)
    for i in range(1, 101):
        report.record(TurnOutcome("ok", i / 100), streamed=bool(i % 2), with_token=False)
    assert report.percentile(50) == 0.5 and report.percentile(99) == 0.99
    assert report.turns_per_s == 50
    assert "| turns ok | 100 (JSON 50, SSE 50) |" in format_load_report(report)


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:8000", "http://[::2]:80"])
def test_only_loopback(url: str) -> None:
    with pytest.raises(LoadError):
        require_loopback(url)
    require_loopback("http://127.0.0.1:8000")
    require_loopback("http://localhost:8000")


def test_memory_includes_children_but_not_another_named_process() -> None:
    figures = sample_memory({"me": os.getpid(), "parent": os.getppid()})
    assert figures["me"] > 0 and figures["parent"] > 0
