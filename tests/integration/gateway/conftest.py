"""The gateway in-process: real graph, guards, SQLite checkpointer; a scripted model."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest

from graphs.services import ChatModel, ChatServices
from service.config import Settings
from service.gateway.app import create_app
from service.gateway.wiring import build_services
from service.storage.handoffs import HandoffQueue
from tests.conftest import MODEL_CACHE, ScriptedModel

AppClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="session")
def prebuilt_services(tmp_path_factory: pytest.TempPathFactory) -> ChatServices:
    """Guards and triage are slow to build: once per test session."""
    tmp = tmp_path_factory.mktemp("services")
    settings = Settings(var_dir=tmp, model_cache_dir=MODEL_CACHE, _env_file=None)  # type: ignore[call-arg]
    return build_services(settings, ScriptedModel(), HandoffQueue(None))  # type: ignore[arg-type]


@pytest.fixture
def app_client(settings: Settings, prebuilt_services: ChatServices) -> AppClient:
    """Start a gateway (lifespan included) and hand out an HTTP client for it."""

    @asynccontextmanager
    async def started(
        model: ChatModel | None = None, app_settings: Settings | None = None
    ) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(app_settings or settings, model or ScriptedModel(), prebuilt_services)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                yield client

    return started
