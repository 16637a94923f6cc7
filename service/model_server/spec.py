"""LitServe's OpenAISpec, made stricter: requests are validated (4xx for nonsense),
`finish_reason` reports what really happened (`stop` or `length`) instead of always `stop`,
and `model` names the model that answered, not whatever the request said (often nothing).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

from fastapi import BackgroundTasks, HTTPException
from litserve.specs.openai import (
    ChatCompletionChunk,
    ChatCompletionRequest,
    ChatCompletionResponse,
    ChatCompletionResponseChoice,
    ChatCompletionStreamingChoice,
    ChatMessage,
    ChoiceDelta,
    OpenAISpec,
    UsageInfo,
)
from litserve.utils import LitAPIStatus, azip

from service.model_server.prompting import ROLES

MAX_TOKENS_LIMIT = 4096
REQUEST_ID = "guardchat_request_id"


class ChatRequest(ChatCompletionRequest):
    """An OpenAI chat request with the two extensions of vLLM's server that we serve too."""

    top_k: int | None = None
    """Sample from the k most likely tokens only (None: the server's default)."""
    continue_final_message: bool = False
    """Go on from the last message, an assistant's reply already begun, instead of starting a
    new reply after it."""


class RequestProblem(HTTPException):
    """A request the server will not run; 400 with a readable detail."""

    def __init__(self, detail: str):
        super().__init__(status_code=400, detail=detail)


def validate_request(request: ChatRequest) -> None:
    """Reject empty conversations, unknown roles, and absurd sampling or length settings."""
    if not request.messages:
        raise RequestProblem("messages must not be empty")
    for message in request.messages:
        if message.role not in ROLES:
            raise RequestProblem(f"unknown role {message.role!r}; use one of {', '.join(ROLES)}")
        if not isinstance(message.content, str):
            raise RequestProblem("message content must be a string")
    last = "assistant" if request.continue_final_message else "user"
    if request.messages[-1].role != last:
        raise RequestProblem(f"the last message must be from the {last}")
    _validate_numbers(request)


def _validate_numbers(request: ChatCompletionRequest) -> None:
    max_tokens = request.max_completion_tokens or request.max_tokens
    if max_tokens is not None and not 1 <= max_tokens <= MAX_TOKENS_LIMIT:
        raise RequestProblem(f"max_tokens must be between 1 and {MAX_TOKENS_LIMIT}")
    if request.temperature is not None and not 0 <= request.temperature <= 2:
        raise RequestProblem("temperature must be between 0 and 2")
    if request.top_p is not None and not 0 < request.top_p <= 1:
        raise RequestProblem("top_p must be in (0, 1]")
    if request.n not in (None, 1):
        raise RequestProblem("only n=1 is supported")


class StrictOpenAISpec(OpenAISpec):
    """OpenAI-compatible chat completions with validation and honest finish reasons.

    Each request gets an id in its metadata; when a streaming client goes away before the
    end, the id goes into `cancellations` (shared with the worker processes), and the
    worker stops generating for it. Responses name the model that served them.
    """

    def __init__(
        self, cancellations: MutableMapping[str, float] | None = None, model_name: str = ""
    ):
        super().__init__()
        self.cancellations = cancellations
        self.model_name = model_name

    async def chat_completion(  # type: ignore[override]
        self, request: ChatRequest, background_tasks: BackgroundTasks
    ) -> Any:
        validate_request(request)
        request.metadata = {**(request.metadata or {}), REQUEST_ID: uuid.uuid4().hex}
        return await super().chat_completion(request, background_tasks)

    async def streaming_completion(  # type: ignore[override]
        self, request: ChatCompletionRequest, pipe_responses: list
    ) -> AsyncIterator[str]:
        finished = False
        try:
            async for chunk in self._stream_chunks(request, pipe_responses):
                yield chunk
            finished = True
        finally:
            if not finished:
                self._cancel((request.metadata or {}).get(REQUEST_ID, ""))

    def _cancel(self, request_id: str) -> None:
        if self.cancellations is None or not request_id:
            return
        now = time.time()
        self.cancellations[request_id] = now
        if len(self.cancellations) > 1000:  # ids the worker never collected
            for old in [k for k, at in self.cancellations.items() if now - at > 600]:
                self.cancellations.pop(old, None)

    async def _stream_chunks(
        self, request: ChatCompletionRequest, pipe_responses: list
    ) -> AsyncIterator[str]:
        usage, finish = UsageInfo(), "stop"
        try:
            async for ((response, status),) in azip(*pipe_responses):
                data = _decoded(response, status)
                usage, finish = UsageInfo(**data), data.get("finish_reason") or finish
                if data.get("content"):
                    content = ChoiceDelta(content=data["content"])
                    yield _chunk(self.model_name, content)
            yield _chunk(self.model_name, ChoiceDelta(), finish, usage)
            yield "data: [DONE]\n\n"
        except HTTPException as exc:
            yield "data: " + json.dumps({"error": {"message": exc.detail, "code": exc.status_code}})
            yield "\n\n"

    async def non_streaming_completion(  # type: ignore[override]
        self, request: ChatCompletionRequest, generator_list: list
    ) -> ChatCompletionResponse:
        parts, usage, finish = [], UsageInfo(), "stop"
        async for response, status in generator_list[0]:
            data = _decoded(response, status)
            parts.append(data.get("content") or "")
            usage, finish = UsageInfo(**data), data.get("finish_reason") or finish
        message = ChatMessage(role="assistant", content="".join(parts))
        choice = ChatCompletionResponseChoice(index=0, message=message, finish_reason=finish)
        return ChatCompletionResponse(model=self.model_name, choices=[choice], usage=usage)


def _decoded(response: Any, status: LitAPIStatus) -> dict[str, Any]:
    if status == LitAPIStatus.ERROR:
        raise response if isinstance(response, HTTPException) else HTTPException(500)
    data: dict[str, Any] = json.loads(response)
    return data


def _chunk(
    model: str, delta: ChoiceDelta, finish: str | None = None, usage: UsageInfo | None = None
) -> str:
    choice = ChatCompletionStreamingChoice(index=0, delta=delta, finish_reason=finish)
    chunk = ChatCompletionChunk(model=model, choices=[choice], usage=usage)
    return f"data: {chunk.model_dump_json(by_alias=True)}\n\n"
