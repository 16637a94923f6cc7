"""The gateway's model client: streamed text, a GenAI span, and failures as ModelUnavailable."""

from __future__ import annotations

import json

import httpx
import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from graphs import ModelUnavailable
from service.model_client import BusyBudget, ModelServerClient
from service.telemetry import setup_telemetry

SENT: list[dict[str, object]] = []


def sse_reply(request: httpx.Request) -> httpx.Response:
    SENT.append(json.loads(request.content))
    chunks = [
        {"choices": [{"index": 0, "delta": {"content": "Hello"}}]},
        {"choices": [{"index": 0, "delta": {"content": " there."}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}},
    ]  # fmt: skip
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})


async def test_stream_yields_text_and_records_a_genai_span() -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("test").add_span_processor(SimpleSpanProcessor(exporter))
    client = ModelServerClient("http://model", 5, "smol", transport=httpx.MockTransport(sse_reply))
    messages = [{"role": "user", "content": "hi"}]
    text = "".join([t async for t in client.stream(messages, 32, {"conversation_id": "c_1"})])
    span = next(s for s in exporter.get_finished_spans() if s.name == "chat smol")
    attributes = dict(span.attributes or {})
    assert text == "Hello there."
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.request.max_tokens"] == 32
    assert (
        attributes["gen_ai.usage.input_tokens"] == 12
        and attributes["gen_ai.usage.output_tokens"] == 3
    )
    assert list(attributes["gen_ai.response.finish_reasons"]) == ["stop"]  # type: ignore[arg-type]
    assert attributes["gen_ai.conversation.id"] == "c_1"
    assert "gen_ai.response.time_to_first_token" in attributes
    assert SENT[-1]["metadata"]["traceparent"].split("-")[2] == format(span.context.span_id, "016x")  # type: ignore[index]


async def test_the_configured_temperature_is_asked_for_and_none_leaves_the_servers_default() -> (
    None
):
    messages = [{"role": "user", "content": "hi"}]
    for temperature in (0.2, None):
        client = ModelServerClient(
            "http://model", 5, transport=httpx.MockTransport(sse_reply), temperature=temperature
        )
        assert "".join([t async for t in client.stream(messages, 8, {})]) == "Hello there."
        assert SENT[-1].get("temperature") == temperature


async def test_a_reply_begun_by_the_assistant_asks_the_server_to_continue_it() -> None:
    client = ModelServerClient("http://model", 5, transport=httpx.MockTransport(sse_reply))
    asked = [{"role": "user", "content": "hi"}]
    begun = [*asked, {"role": "assistant", "content": "Returns are free."}]
    for messages, continued in ((asked, None), (begun, True)):
        assert "".join([t async for t in client.stream(messages, 8, {})]) == "Hello there."
        assert SENT[-1].get("continue_final_message") is continued


async def test_while_the_server_is_busy_a_new_reply_asks_for_fewer_tokens() -> None:
    busy = BusyBudget(streams=2, max_tokens=48)
    client = ModelServerClient(
        "http://model", 5, transport=httpx.MockTransport(sse_reply), busy=busy
    )
    messages = [{"role": "user", "content": "hi"}]
    first, second = client.stream(messages, 160, {}), client.stream(messages, 160, {})
    await anext(first), await anext(second)  # two replies being written
    assert [SENT[-2]["max_tokens"], SENT[-1]["max_tokens"]] == [160, 160]
    assert "".join([t async for t in client.stream(messages, 160, {})]) == "Hello there."
    assert SENT[-1]["max_tokens"] == 48
    await first.aclose(), await second.aclose()
    assert client.in_flight == 0 and client.budget(160) == 160


def four_sentences(request: httpx.Request) -> httpx.Response:
    chunks = [{"choices": [{"index": 0, "delta": {"content": t}}]} for t in SENTENCES]
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})


SENTENCES = ["One. ", "Two", " three. ", "Four. "]


async def test_a_long_reply_ends_at_a_sentence_once_the_server_is_busy() -> None:
    messages = [{"role": "user", "content": "hi"}]
    transport = httpx.MockTransport(four_sentences)
    busy = ModelServerClient("http://model", 5, transport=transport, busy=BusyBudget(1, 2))
    idle = ModelServerClient("http://model", 5, transport=transport, busy=BusyBudget(2, 2))
    assert "".join([t async for t in busy.stream(messages, 160, {})]) == "One. Two three. "
    assert "".join([t async for t in idle.stream(messages, 160, {})]) == "".join(SENTENCES)
    assert busy.in_flight == 0


@pytest.mark.parametrize(
    "reply",
    [
        lambda r: httpx.Response(503, headers={"Retry-After": "1"}),
        lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")),
        lambda r: httpx.Response(200, text='data: {"error": {"message": "x"}}\n\n'),
    ],
)
async def test_model_failures_become_model_unavailable(reply: object) -> None:
    client = ModelServerClient("http://model", 5, transport=httpx.MockTransport(reply))  # type: ignore[arg-type]
    with pytest.raises(ModelUnavailable):
        _ = [t async for t in client.stream([{"role": "user", "content": "hi"}], 8, {})]
