"""A streaming client that goes away is reported to the worker through `cancellations`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from litserve.specs.openai import ChatCompletionRequest
from litserve.utils import LitAPIStatus

from service.model_server.api import ChatAPI
from service.model_server.spec import REQUEST_ID, StrictOpenAISpec


async def endless_pipe() -> AsyncIterator[tuple[str, LitAPIStatus]]:
    while True:
        yield json.dumps({"role": "assistant", "content": "word "}), LitAPIStatus.OK


def request_with_id(request_id: str) -> ChatCompletionRequest:
    return ChatCompletionRequest(
        messages=[{"role": "user", "content": "hi"}], stream=True, metadata={REQUEST_ID: request_id}
    )


async def test_closing_the_stream_early_marks_the_request_cancelled() -> None:
    cancellations: dict[str, float] = {}
    spec = StrictOpenAISpec(cancellations)
    stream = spec.streaming_completion(request_with_id("r1"), [endless_pipe()])
    assert (await anext(stream)).startswith("data: ")
    await stream.aclose()  # what Starlette does when the client disconnects
    assert "r1" in cancellations


async def test_a_stream_read_to_the_end_is_not_cancelled() -> None:
    async def short_pipe() -> AsyncIterator[tuple[str, LitAPIStatus]]:
        yield (
            json.dumps({"role": "assistant", "content": "hi", "finish_reason": "stop"}),
            LitAPIStatus.OK,
        )

    cancellations: dict[str, float] = {}
    chunks = [
        c
        async for c in StrictOpenAISpec(cancellations).streaming_completion(
            request_with_id("r2"), [short_pipe()]
        )
    ]
    assert chunks[-1] == "data: [DONE]\n\n" and cancellations == {}


def test_the_worker_collects_a_cancellation_once() -> None:
    api = ChatAPI(
        "unused", None, cache_dir=__import__("pathlib").Path("."), cancellations={"r3": 1.0}
    )
    assert api._cancelled("r3") and not api._cancelled("r3")
