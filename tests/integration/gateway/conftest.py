"""The gateway in-process: real graph, guards, SQLite checkpointer; a scripted model."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest

from graphs import ChatModel, ChatServices
from guards.knowledge import KnowledgeBase
from service.config import Settings
from service.gateway.app import create_app
from service.gateway.wiring import build_services
from service.storage.handoffs import HandoffQueue
from tests.conftest import MODEL_CACHE, ScriptedModel

AppClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Every gateway test runs on both backends: SQLite and PostgreSQL."""
    database_url = f"sqlite:///{tmp_path / 'guardchat.db'}"
    if request.param == "postgres":
        database_url = request.getfixturevalue("throwaway_postgres")
    return Settings(
        var_dir=tmp_path,
        database_url=database_url,
        model_cache_dir=MODEL_CACHE,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def grounded_services(tmp_path_factory: pytest.TempPathFactory) -> ChatServices:
    """The services as shipped, with the sample knowledge base. Guards and triage are slow
    to build: once per test session."""
    tmp = tmp_path_factory.mktemp("services")
    settings = Settings(var_dir=tmp, model_cache_dir=MODEL_CACHE, _env_file=None)  # type: ignore[call-arg]
    return build_services(settings, ScriptedModel(), HandoffQueue(None))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def prebuilt_services(grounded_services: ChatServices) -> ChatServices:
    """The same services with an empty knowledge base, so every in-scope message reaches the
    (scripted) model: what the gateway does with a reply, whatever the company's facts."""
    empty = KnowledgeBase([], grounded_services.knowledge.encoder)
    return dataclasses.replace(grounded_services, knowledge=empty)


@pytest.fixture
def app_client(settings: Settings, prebuilt_services: ChatServices) -> AppClient:
    """Start a gateway (lifespan included) and hand out an HTTP client for it."""

    @asynccontextmanager
    async def started(
        model: ChatModel | None = None,
        app_settings: Settings | None = None,
        services: ChatServices | None = None,
    ) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(
            app_settings or settings, model or ScriptedModel(), services or prebuilt_services
        )
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                yield client

    return started
