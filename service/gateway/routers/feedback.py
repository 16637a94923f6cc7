"""POST /v1/conversations/{id}/feedback: the customer rates one of the bot's replies, by the
conversation's token. The comment is stored redacted; the rating joins the audit trail."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from service.feedback import CustomerFeedback, NoSuchMessage, NotABotReply, Rating
from service.gateway.deps import GatewayDep, RunnerDep, TokenConversation
from service.gateway.problems import Problem
from service.gateway.routers.conversations import granted
from service.gateway.text_types import CleanText, ResourceId

router = APIRouter(tags=["feedback"])


class FeedbackRequest(BaseModel):
    message_index: int = Field(ge=0)
    rating: Literal["up", "down"]
    comment: CleanText | None = Field(default=None, max_length=2000)


class FeedbackRecorded(BaseModel):
    message_index: int
    rating: Literal["up", "down"]
    intent: str
    comment: str | None  # as stored: redacted


def get_feedback(gateway: GatewayDep, runner: RunnerDep) -> CustomerFeedback:
    services = gateway.services
    return CustomerFeedback(gateway.conversations, runner, gateway.audit, services.redactor)


FeedbackDep = Annotated[CustomerFeedback, Depends(get_feedback)]


@router.post(
    "/v1/conversations/{conversation_id}/feedback",
    response_model=FeedbackRecorded,
    status_code=201,
    responses={403: {}, 404: {}},
)
async def rate_reply(
    conversation_id: ResourceId,
    body: FeedbackRequest,
    feedback: FeedbackDep,
    token: TokenConversation,
    gateway: GatewayDep,
) -> FeedbackRecorded:
    granted(conversation_id, token)
    if await gateway.conversations.get(conversation_id) is None:
        raise Problem(404, "Unknown conversation")
    rating = Rating(body.message_index, body.rating, body.comment)
    return FeedbackRecorded(**await _checked(feedback.rate(conversation_id, rating)))


async def _checked(action: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    try:
        return await action
    except NoSuchMessage as exc:
        raise Problem(404, "No such message", str(exc)) from None
    except NotABotReply as exc:
        raise Problem(422, "Only the bot's replies can be rated", str(exc)) from None
