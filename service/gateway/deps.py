"""Typed dependencies for the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.gateway.problems import Problem
from service.gateway.wiring import Gateway
from service.security import TokenExpired, TokenInvalid, same_secret
from service.turns import TurnRunner

bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


def get_runner(gateway: GatewayDep) -> TurnRunner:
    return gateway.runner


RunnerDep = Annotated[TurnRunner, Depends(get_runner)]

UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


EXPIRED = {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="expired"'}
FORGED = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def token_conversation(gateway: GatewayDep, credentials: Credentials) -> str | None:
    """The conversation the bearer's conversation token grants (None without a token)."""
    if credentials is None:
        return None
    try:
        return gateway.tokens.conversation_of(credentials.credentials)
    except TokenExpired:
        detail = "This conversation token has expired; start a new conversation."
        raise Problem(401, "Conversation token expired", detail, headers=EXPIRED) from None
    except TokenInvalid:
        detail = "This is not a conversation token this service issued."
        raise Problem(401, "Invalid conversation token", detail, headers=FORGED) from None


TokenConversation = Annotated[str | None, Depends(token_conversation)]


def require_agent(gateway: GatewayDep, credentials: Credentials) -> None:
    expected = gateway.settings.agent_token.get_secret_value()
    if credentials is None or not same_secret(credentials.credentials, expected):
        raise Problem(401, "Agent token required", headers=UNAUTHORIZED)


def require_auditor(gateway: GatewayDep, credentials: Credentials) -> None:
    expected = gateway.settings.auditor_token.get_secret_value()
    if credentials is None or not same_secret(credentials.credentials, expected):
        raise Problem(401, "Auditor token required", headers=UNAUTHORIZED)
