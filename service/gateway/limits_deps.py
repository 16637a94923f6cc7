"""Rate-limit dependencies: every request per client; chat turns per client and per
conversation. Over the limit: 429 problem+json with Retry-After."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.gateway.deps import GatewayDep
from service.gateway.problems import Problem
from service.gateway.rate_limit import RateLimiter


def client_address(request: Request, trust_forwarded_for: bool) -> str:
    forwarded = request.headers.get("x-forwarded-for", "")
    if trust_forwarded_for and forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


async def _limit(limiter: RateLimiter, key: str, what: str) -> None:
    wait = await limiter.retry_after(key)
    if wait:
        raise Problem(
            429, "Too many requests", f"{what}; retry in {wait} s", {"Retry-After": str(wait)}
        )


async def limit_requests(request: Request, gateway: GatewayDep) -> None:
    address = client_address(request, gateway.settings.trust_forwarded_for)
    await _limit(gateway.limits.requests, address, "too many requests from this client")


async def limit_turns(request: Request, gateway: GatewayDep) -> None:
    address = client_address(request, gateway.settings.trust_forwarded_for)
    await _limit(gateway.limits.turns, address, "too many messages from this client")


async def limit_conversation_turns(gateway: GatewayDep, conversation_id: str) -> None:
    await _limit(
        gateway.limits.conversation_turns, conversation_id, "too many messages in this conversation"
    )


TurnLimit = Annotated[None, Depends(limit_turns)]
