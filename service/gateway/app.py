"""`create_app`: the FastAPI gateway, its middleware, routers and start-up."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import replace
from datetime import timedelta

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from graphs import ChatModel, ChatServices, build_graph
from service.config import Settings
from service.gateway.limits import BodySizeLimit, BodyTooLarge
from service.gateway.limits_deps import limit_requests
from service.gateway.problems import install_problem_handlers, problem_response
from service.gateway.rate_limit import RateLimits
from service.gateway.routers import (
    audit,
    chat,
    conversations,
    feedback,
    handoffs,
    health,
    pages,
)  # fmt: skip
from service.gateway.tracing import FASTAPI_TELEMETRY, TraceparentHeader
from service.gateway.wiring import Gateway, build_services
from service.model_client import BusyBudget, ModelServerClient
from service.model_server.naming import model_display_name
from service.security import ConversationTokens
from service.storage.audit import AuditLog
from service.storage.conversations import ConversationStore
from service.storage.database import open_checkpointer, open_engine
from service.storage.handoffs import HandoffQueue
from service.telemetry import setup_telemetry
from service.turns import TurnRunner
from service.webhooks import HandoffWebhook

SWEEP_EVERY_S = 300.0


def create_app(
    settings: Settings, model: ChatModel | None = None, services: ChatServices | None = None
) -> FastAPI:
    """The gateway app. Tests may pass a `model` in place of the model-server client, and
    already built `services` (their guards are reused; model and handoff desk are this app's)."""
    setup_telemetry("guardchat-gateway")
    app = FastAPI(
        title="guardchat",
        version="0.1.0",
        lifespan=_lifespan(settings, model, services),
        telemetry=FASTAPI_TELEMETRY,
    )
    install_problem_handlers(app)
    app.add_exception_handler(BodyTooLarge, _too_large)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["Retry-After", "traceparent"],
        )
    app.add_middleware(TraceparentHeader)
    rate_limited = [Depends(limit_requests)]
    for module in (chat, conversations, feedback, handoffs, audit, pages):
        app.include_router(module.router, dependencies=rate_limited)
    app.include_router(health.router)  # probes and scrapers are never rate limited
    return app


async def _too_large(_: Request, __: Exception) -> JSONResponse:
    return problem_response(413, "Request too large")


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def _lifespan(
    settings: Settings, model: ChatModel | None, services: ChatServices | None
) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.gateway = await _start(settings, model, services, stack)
            yield

    return lifespan


async def _start(
    settings: Settings,
    model: ChatModel | None,
    prebuilt: ChatServices | None,
    stack: AsyncExitStack,
) -> Gateway:
    engine = await open_engine(settings)
    stack.push_async_callback(engine.dispose)
    checkpointer = await stack.enter_async_context(open_checkpointer(settings))
    if model is None:
        client = ModelServerClient(
            settings.resolved_model_url,
            settings.model_timeout_s,
            model_display_name(settings.model),
            read_timeout_s=settings.model_read_timeout_s,
            temperature=settings.model_temperature,
            busy=BusyBudget(settings.busy_model_streams, settings.busy_max_new_tokens),
        )
        stack.push_async_callback(client.aclose)
        model = client
    webhook = _webhook(settings)
    if webhook is not None:
        stack.push_async_callback(webhook.drain)
    handoffs = HandoffQueue(engine, webhook)
    if prebuilt is None:
        services = await asyncio.to_thread(build_services, settings, model, handoffs)
    else:
        services = replace(prebuilt, model=model, handoffs=handoffs)
    store = ConversationStore(engine, settings.secret_keys)
    audit = AuditLog(engine)
    tokens = ConversationTokens.from_settings(settings)
    runner = TurnRunner(build_graph(checkpointer), store, services, audit, tokens)
    limits = RateLimits.from_settings(settings)
    stack.push_async_callback(limits.aclose)
    sweeper = IdleSweeper(store, timedelta(hours=settings.conversation_ttl_hours))
    stack.push_async_callback(sweeper.stop)
    return Gateway(settings, engine, store, handoffs, services, runner, audit, limits, tokens)


def _webhook(settings: Settings) -> HandoffWebhook | None:
    if not settings.handoff_webhook_url:
        return None
    secret = settings.handoff_webhook_secret
    return HandoffWebhook(settings.handoff_webhook_url, secret.get_secret_value() if secret else "")


class IdleSweeper:
    """Every few minutes, closes idle conversations (deleting their vaults).

    It is stopped, never cancelled: cancelling a database call half-way can leave the
    connection pool waiting forever, so `stop` lets the current sweep finish first."""

    def __init__(self, store: ConversationStore, idle_for: timedelta):
        self.store, self.idle_for = store, idle_for
        self.stopping = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(Exception):  # a database hiccup must not end the sweeper
                await self.store.close_idle(self.idle_for)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), SWEEP_EVERY_S)

    async def stop(self) -> None:
        self.stopping.set()
        await self.task
