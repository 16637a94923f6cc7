"""GET /v1/conversations/{id}: the customer's own conversation, by its token.

Storage keeps it redacted; the customer, and only with their token, reads it with their own
details restored from the conversation's vault (after closing, the vault is gone and the
placeholders stay)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from service.gateway.deps import GatewayDep, RunnerDep, TokenConversation
from service.gateway.problems import Problem
from service.gateway.text_types import ResourceId

router = APIRouter(tags=["conversations"])


class TranscriptLine(BaseModel):
    role: Literal["user", "assistant", "agent"]
    content: str
    at: str


class Conversation(BaseModel):
    id: str
    status: Literal["bot", "handoff_pending", "with_agent", "closed"]
    messages: list[TranscriptLine]
    agent: str | None = None
    """The name the support agent in the conversation gave when they took it (never
    redacted: the customer sees who helps them); None while no agent is in it."""


def granted(conversation_id: str, token: str | None) -> None:
    if token is None:
        raise Problem(401, "Conversation token required", headers={"WWW-Authenticate": "Bearer"})
    if token != conversation_id:
        raise Problem(403, "Token does not grant this conversation")


@router.get("/v1/conversations/{conversation_id}", response_model=Conversation, responses={403: {}})
async def read_conversation(
    conversation_id: ResourceId, gateway: GatewayDep, runner: RunnerDep, token: TokenConversation
) -> Conversation:
    granted(conversation_id, token)
    record = await gateway.conversations.get(conversation_id)
    if record is None:
        raise Problem(404, "Unknown conversation")
    vault = await gateway.conversations.load_vault(conversation_id)
    messages = [
        {**message, "content": vault.restore(message["content"])}
        for message in await runner.transcript(conversation_id)
    ]
    with_agent = record.status == "with_agent"
    agent = await gateway.handoffs.agent_of(conversation_id) if with_agent else None
    return Conversation(id=record.id, status=record.status, messages=messages, agent=agent)  # type: ignore[arg-type]


@router.post(
    "/v1/conversations/{conversation_id}/close", response_model=Conversation, responses={403: {}}
)
async def close_conversation(
    conversation_id: ResourceId, gateway: GatewayDep, runner: RunnerDep, token: TokenConversation
) -> Conversation:
    """The customer ends the conversation: its placeholder vault is deleted."""
    granted(conversation_id, token)
    if await gateway.conversations.get(conversation_id) is None:
        raise Problem(404, "Unknown conversation")
    await gateway.conversations.close(conversation_id)
    return await read_conversation(conversation_id, gateway, runner, token)
