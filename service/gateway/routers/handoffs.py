"""The human agents' API: list, read, claim, message and resolve handoff tickets."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from service.agent_desk import AgentDesk, TicketConflict, TicketNotFound
from service.gateway.deps import GatewayDep, RunnerDep, require_agent
from service.gateway.problems import Problem
from service.gateway.routers.conversations import TranscriptLine
from service.gateway.text_types import CleanText, ResourceId
from service.storage.conversations import ConversationBusy
from service.storage.handoffs import Ticket, TicketStatus

router = APIRouter(tags=["handoffs"], dependencies=[Depends(require_agent)])

T = TypeVar("T")


class TicketList(BaseModel):
    handoffs: list[Ticket]


class TicketDetail(Ticket):
    transcript: list[TranscriptLine]


class ClaimRequest(BaseModel):
    agent: CleanText = Field(min_length=1, max_length=200)


class AgentMessage(BaseModel):
    content: CleanText = Field(min_length=1, max_length=4000)


class PostedMessage(BaseModel):
    content: str
    """As stored and shown to the customer: redacted."""


def get_desk(gateway: GatewayDep, runner: RunnerDep) -> AgentDesk:
    return AgentDesk(gateway.handoffs, gateway.conversations, runner, gateway.services.redactor)


DeskDep = Annotated[AgentDesk, Depends(get_desk)]


@router.get("/v1/handoffs", response_model=TicketList)
async def list_tickets(
    gateway: GatewayDep, status: Annotated[TicketStatus | None, Query()] = None
) -> TicketList:
    tickets = await gateway.handoffs.list(status)
    return TicketList(handoffs=tickets)


@router.get("/v1/handoffs/{ticket_id}", response_model=TicketDetail)
async def read_ticket(ticket_id: ResourceId, desk: DeskDep, runner: RunnerDep) -> TicketDetail:
    ticket = await _guarded(desk.ticket(ticket_id))
    transcript = await runner.transcript(ticket.conversation_id)
    return TicketDetail(**ticket.model_dump(), transcript=transcript)  # type: ignore[arg-type]


@router.post("/v1/handoffs/{ticket_id}/claim", response_model=Ticket, responses={409: {}})
async def claim_ticket(ticket_id: ResourceId, body: ClaimRequest, desk: DeskDep) -> Ticket:
    return await _guarded(desk.claim(ticket_id, body.agent))


@router.post("/v1/handoffs/{ticket_id}/messages", response_model=PostedMessage, responses={409: {}})
async def post_message(ticket_id: ResourceId, body: AgentMessage, desk: DeskDep) -> PostedMessage:
    return PostedMessage(content=await _guarded(desk.post_message(ticket_id, body.content)))


@router.post("/v1/handoffs/{ticket_id}/resolve", response_model=Ticket, responses={409: {}})
async def resolve_ticket(ticket_id: ResourceId, desk: DeskDep) -> Ticket:
    return await _guarded(desk.resolve(ticket_id))


async def _guarded(action: Awaitable[T]) -> T:
    """Map the desk's failures to problem responses."""
    try:
        return await action
    except TicketNotFound:
        raise Problem(404, "Unknown handoff") from None
    except TicketConflict as exc:
        raise Problem(409, "Handoff state conflict", str(exc)) from None
    except ConversationBusy:
        raise Problem(
            409, "Turn in progress", "The customer's turn is still running; retry."
        ) from None
