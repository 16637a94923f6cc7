"""POST /v1/chat: one customer turn, as JSON or as server-sent events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from service.gateway.deps import GatewayDep, RunnerDep, TokenConversation
from service.gateway.limits_deps import TurnLimit, limit_conversation_turns
from service.gateway.problems import Problem
from service.gateway.text_types import CleanText
from service.storage.conversations import ConversationBusy, ConversationRecord
from service.turns import ConversationClosed, TurnEvent, TurnRunner, UnknownConversation

router = APIRouter(tags=["chat"])

STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
"""What FastAPI's and sse-starlette's SSE responses send too: no cache or proxy (nginx
buffers by default) may hold the stream back until the reply is complete."""


class ChatRequest(BaseModel):
    message: CleanText = Field(min_length=1, description="The customer's message, as typed.")
    conversation_id: CleanText | None = Field(default=None, max_length=64)


class ChatReply(BaseModel):
    conversation_id: str
    conversation_token: str
    reply: str
    route: Literal["assistant", "handoff"]
    intent: str | None
    handoff_id: str | None
    trace_id: str
    answered_by: Literal["model", "knowledge", "fallback", "handoff", "refuse", "redirect"]
    """Who wrote the reply: the model, the company's knowledge base, a fixed fallback, or the
    fixed text of a handoff, a refusal, or a redirect of a request outside the business."""


@router.post(
    "/v1/chat", response_model=ChatReply, responses={401: {}, 403: {}, 409: {}, 413: {}, 429: {}}
)
async def chat(
    body: ChatRequest,
    request: Request,
    gateway: GatewayDep,
    runner: RunnerDep,
    token_conversation: TokenConversation,
    _: TurnLimit,
) -> ChatReply | StreamingResponse:
    _check_length(body.message, gateway.settings.max_message_chars)
    record = await _conversation(runner, body.conversation_id, token_conversation)
    await limit_conversation_turns(gateway, record.id)
    events = await _started(runner.run(record, body.message))
    if "text/event-stream" in request.headers.get("accept", ""):
        stream = _server_sent(events)
        return StreamingResponse(stream, media_type="text/event-stream", headers=STREAM_HEADERS)
    done = [event async for event in events if event.kind == "done"]  # run the turn to its end
    if not done:
        raise Problem(500, "Internal error", "The turn ended without a reply.")
    return ChatReply(**done[-1].data)


def _check_length(message: str, limit: int) -> None:
    if not message.strip():
        raise Problem(422, "Empty message", "message must contain text")
    if len(message) > limit:
        raise Problem(413, "Message too long", f"messages are limited to {limit} characters")


async def _conversation(
    runner: TurnRunner, body_id: str | None, token_id: str | None
) -> ConversationRecord:
    """A first turn (no id, no token) opens a conversation; later turns need its token."""
    if body_id is not None and token_id is None:
        raise Problem(401, "Conversation token required", headers={"WWW-Authenticate": "Bearer"})
    if body_id is not None and body_id != token_id:
        raise Problem(403, "Token does not grant this conversation")
    try:
        return await runner.open(token_id)
    except UnknownConversation:
        raise Problem(404, "Unknown conversation") from None
    except ConversationClosed:
        raise Problem(409, "Conversation closed", "Start a new conversation.") from None


async def _started(events: AsyncIterator[TurnEvent]) -> AsyncIterator[TurnEvent]:
    """Take the first event now, so a busy conversation is a 409 before any streaming."""
    try:
        first = await anext(events)
    except ConversationBusy:
        raise Problem(409, "Turn in progress", "Wait for the previous reply.") from None

    async def chained() -> AsyncIterator[TurnEvent]:
        yield first
        async for event in events:
            yield event

    return chained()


async def _server_sent(events: AsyncIterator[TurnEvent]) -> AsyncIterator[str]:
    try:
        async for event in events:
            yield _sse(event.kind, event.data)
    except Exception:  # the stream has started: report in-band, never a trace
        yield _sse("error", {"status": 503, "title": "Turn failed", "detail": "Please retry."})


def _sse(kind: str, data: dict[str, object]) -> str:
    """One event; compact JSON never holds a line break, so one `data:` line carries it."""
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
