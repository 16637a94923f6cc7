"""The human agents' API: list, read, claim, message and resolve handoff tickets; each ticket's
case at a glance, and suggested replies the agent edits, sends or discards."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from graphs import NoSuggestion
from service.agent_desk import AgentDesk, TicketConflict, TicketNotFound, UnknownSuggestion
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


class CaseAtAGlance(BaseModel):
    """What the agent reads first (redacted, like the transcript)."""

    intent: str
    category: str
    reasons: list[str]
    """The handoff reasons, one code each."""
    summary: str
    """The conversation so far in a few lines (extracted from the redacted transcript)."""


class TicketDetail(Ticket):
    transcript: list[TranscriptLine]
    assist: CaseAtAGlance


class ClaimRequest(BaseModel):
    agent: CleanText = Field(min_length=1, max_length=200)


class AgentMessage(BaseModel):
    content: CleanText = Field(min_length=1, max_length=4000)
    suggestion_id: str | None = Field(default=None, max_length=64)
    """The suggested reply this message started from, if any (sent as is, or edited)."""


class Suggestion(BaseModel):
    """A drafted reply, grounded and output-checked like the bot's own (redacted)."""

    suggestion_id: str
    text: str
    source: Literal["model", "knowledge", "redirect"]
    reasons: list[str]


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
    ticket, case = await _guarded(desk.case(ticket_id))
    transcript = await runner.transcript(ticket.conversation_id)
    assist = CaseAtAGlance(**case.__dict__)
    return TicketDetail(**ticket.model_dump(), transcript=transcript, assist=assist)  # type: ignore[arg-type]


@router.post("/v1/handoffs/{ticket_id}/claim", response_model=Ticket, responses={409: {}})
async def claim_ticket(ticket_id: ResourceId, body: ClaimRequest, desk: DeskDep) -> Ticket:
    return await _guarded(desk.claim(ticket_id, body.agent))


@router.post("/v1/handoffs/{ticket_id}/messages", response_model=PostedMessage, responses={409: {}})
async def post_message(ticket_id: ResourceId, body: AgentMessage, desk: DeskDep) -> PostedMessage:
    posted = desk.post_message(ticket_id, body.content, body.suggestion_id)
    return PostedMessage(content=await _guarded(posted))


@router.post(
    "/v1/handoffs/{ticket_id}/suggestion",
    response_model=Suggestion,
    responses={404: {}, 409: {}, 503: {}},
)
async def suggest_reply(ticket_id: ResourceId, desk: DeskDep) -> Suggestion:
    """Draft the agent's next reply with the model, grounded and checked like the bot's."""
    try:
        drafted = await _guarded(desk.suggest(ticket_id))
    except NoSuggestion as exc:
        raise Problem(503, "No suggestion", f"{exc}; write the reply yourself.") from None
    return Suggestion(**drafted.__dict__)


@router.post(
    "/v1/handoffs/{ticket_id}/suggestion/{suggestion_id}/discard",
    status_code=204,
    responses={404: {}, 409: {}},
)
async def discard_suggestion(
    ticket_id: ResourceId, suggestion_id: ResourceId, desk: DeskDep
) -> None:
    """The agent drops a suggestion (recorded in the audit trail as discarded)."""
    await _guarded(desk.discard_suggestion(ticket_id, suggestion_id))


@router.post("/v1/handoffs/{ticket_id}/resolve", response_model=Ticket, responses={409: {}})
async def resolve_ticket(ticket_id: ResourceId, desk: DeskDep) -> Ticket:
    return await _guarded(desk.resolve(ticket_id))


async def _guarded(action: Awaitable[T]) -> T:
    """Map the desk's failures to problem responses."""
    try:
        return await action
    except TicketNotFound:
        raise Problem(404, "Unknown handoff") from None
    except UnknownSuggestion:
        raise Problem(404, "Unknown suggestion", "it was sent, discarded or never made") from None
    except TicketConflict as exc:
        raise Problem(409, "Handoff state conflict", str(exc)) from None
    except ConversationBusy:
        raise Problem(
            409, "Turn in progress", "The customer's turn is still running; retry."
        ) from None
