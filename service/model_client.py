"""`ModelServerClient`: the gateway's client of the model server's OpenAI-compatible API.

Each call is a GenAI CLIENT span (`chat {model}`) with the OpenTelemetry GenAI attributes:
request settings, usage, finish reason and time to first token. The trace context travels
in the request's `metadata`, since LitServe workers never see HTTP headers.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import httpx
from opentelemetry import trace
from opentelemetry.propagate import inject

from graphs import ModelUnavailable
from service.metrics import MODEL_TOKENS

tracer = trace.get_tracer("guardchat.model_client")
SENTENCE_END = re.compile(r"[.!?]\s*$|\n")


@dataclass(frozen=True)
class BusyBudget:
    """Shorter replies while the model server is busy, so that every customer gets one in
    time: with `streams` replies already being written, a new one asks for at most
    `max_tokens`. Two CPU cores write 40 to 50 tokens a second in all, so ten customers at
    once, each waiting for up to 160 tokens, waited 27 to 31 s at the 95th percentile."""

    streams: int = 4
    max_tokens: int = 64


class ModelServerClient:
    """Streams chat completions; any failure to get an answer is `ModelUnavailable`."""

    def __init__(
        self,
        base_url: str,
        timeout_s: float,
        model_name: str = "guardchat",
        connect_timeout_s: float = 3.0,
        read_timeout_s: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        temperature: float | None = None,
        busy: BusyBudget | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.busy = busy or BusyBudget()
        self.in_flight = 0
        """Streams this client has open now."""
        self.model_name = model_name
        self.sampling = {} if temperature is None else {"temperature": temperature}
        timeout = httpx.Timeout(
            timeout_s, connect=connect_timeout_s, read=read_timeout_s or timeout_s
        )
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)

    async def stream(
        self, messages: list[dict[str, str]], max_tokens: int, metadata: dict[str, str]
    ) -> AsyncIterator[str]:
        max_tokens = self.budget(max_tokens)
        self.in_flight += 1
        try:
            async with aclosing(self._stream(messages, max_tokens, metadata)) as deltas:
                received = 0
                async for text in deltas:
                    yield text
                    received += 1
                    if self._cut_short(received, text):
                        return  # closing the stream stops the generation on the server
        finally:
            self.in_flight -= 1

    def _cut_short(self, received: int, text: str) -> bool:
        """A reply that began before the server got busy ends at its next sentence once it
        is as long as a busy reply may be (it would otherwise keep the longest wait)."""
        busy = self.in_flight >= self.busy.streams and received >= self.busy.max_tokens
        return busy and SENTENCE_END.search(text) is not None

    def budget(self, max_tokens: int) -> int:
        """The tokens a new reply may ask for now: fewer while the model server is busy."""
        if self.in_flight >= self.busy.streams:
            return min(max_tokens, self.busy.max_tokens)
        return max_tokens

    async def _stream(
        self, messages: list[dict[str, str]], max_tokens: int, metadata: dict[str, str]
    ) -> AsyncGenerator[str, None]:
        with tracer.start_as_current_span(
            f"chat {self.model_name}", kind=trace.SpanKind.CLIENT
        ) as span:
            _request_attributes(span, self.model_name, max_tokens, metadata)
            carrier = dict(metadata)
            inject(carrier)  # the model server's span becomes this span's child
            body = {
                "messages": messages,
                "max_tokens": max_tokens,
                "stream": True,
                "metadata": carrier,
                **self.sampling,
                **_continuation(messages),
            }
            async for text in self._post(body, span):
                yield text

    async def _post(self, body: dict[str, Any], span: trace.Span) -> AsyncIterator[str]:
        started, first = time.perf_counter(), True
        try:
            async with self.http.stream("POST", "/v1/chat/completions", json=body) as response:
                if response.status_code != 200:
                    raise ModelUnavailable(f"model server answered {response.status_code}")
                async for text in _deltas(response, span):
                    if first:
                        span.set_attribute(
                            "gen_ai.response.time_to_first_token", time.perf_counter() - started
                        )
                        first = False
                    yield text
        except httpx.HTTPError as exc:
            span.set_attribute("error.type", type(exc).__name__)
            raise ModelUnavailable(type(exc).__name__) from None

    async def healthy(self) -> bool:
        try:
            return (await self.http.get("/health", timeout=2.0)).status_code == 200
        except httpx.HTTPError:
            return False

    async def aclose(self) -> None:
        await self.http.aclose()


def _continuation(messages: list[dict[str, str]]) -> dict[str, bool]:
    """A conversation that ends with the assistant's words asks the model to go on from them
    (vLLM's `continue_final_message`, which our model server accepts too)."""
    return {"continue_final_message": True} if messages[-1]["role"] == "assistant" else {}


def _request_attributes(
    span: trace.Span, model: str, max_tokens: int, metadata: dict[str, str]
) -> None:
    span.set_attribute("gen_ai.operation.name", "chat")
    span.set_attribute("gen_ai.provider.name", "guardchat.litserve")
    span.set_attribute("gen_ai.request.model", model)
    span.set_attribute("gen_ai.request.max_tokens", max_tokens)
    if "conversation_id" in metadata:
        span.set_attribute("gen_ai.conversation.id", metadata["conversation_id"])


async def _deltas(response: httpx.Response, span: trace.Span) -> AsyncIterator[str]:
    async for line in response.aiter_lines():
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        chunk = json.loads(line[6:])
        if "error" in chunk:
            raise ModelUnavailable("model server reported an error mid-stream")
        _record_usage(chunk, span)
        for choice in chunk.get("choices", []):
            text = (choice.get("delta") or {}).get("content")
            if text:
                yield text


def _record_usage(chunk: dict[str, Any], span: trace.Span) -> None:
    usage = chunk.get("usage")
    if not usage:
        return
    span.set_attribute("gen_ai.usage.input_tokens", usage.get("prompt_tokens", 0))
    span.set_attribute("gen_ai.usage.output_tokens", usage.get("completion_tokens", 0))
    MODEL_TOKENS.labels(kind="input").inc(usage.get("prompt_tokens", 0))
    MODEL_TOKENS.labels(kind="output").inc(usage.get("completion_tokens", 0))
    finishes = [c.get("finish_reason") for c in chunk.get("choices", []) if c.get("finish_reason")]
    if finishes:
        span.set_attribute("gen_ai.response.finish_reasons", finishes)
