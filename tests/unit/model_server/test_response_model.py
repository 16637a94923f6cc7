"""OpenAI responses name the model that answered, whatever the request said (often nothing)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

from litserve.specs.openai import ChatCompletionRequest
from litserve.utils import LitAPIStatus

from service.model_server.api import ChatAPI
from service.model_server.spec import StrictOpenAISpec


async def one_reply() -> AsyncIterator[tuple[str, LitAPIStatus]]:
    reply = {"role": "assistant", "content": "Hello.", "finish_reason": "stop"}
    yield json.dumps(reply), LitAPIStatus.OK


def spec_serving(model: str) -> StrictOpenAISpec:
    spec = ChatAPI(model, None, cache_dir=Path(".")).spec
    assert isinstance(spec, StrictOpenAISpec)
    return spec


def request(stream: bool) -> ChatCompletionRequest:
    return ChatCompletionRequest(messages=[{"role": "user", "content": "hi"}], stream=stream)


async def test_a_reply_names_the_served_model() -> None:
    spec = spec_serving("embedded:gemma-3-270m")
    response = await spec.non_streaming_completion(request(stream=False), [one_reply()])
    assert response.model == "gemma-3-270m"


async def test_every_streamed_chunk_names_the_served_model() -> None:
    spec = spec_serving("/models/my-finetune")
    chunks = [c async for c in spec.streaming_completion(request(stream=True), [one_reply()])]
    models = {json.loads(c.removeprefix("data: "))["model"] for c in chunks[:-1]}
    assert models == {"my-finetune"}
