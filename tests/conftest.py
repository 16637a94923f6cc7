"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from graphs import ModelUnavailable
from service.config import Settings

REPO = Path(__file__).resolve().parent.parent
MODEL_CACHE = REPO / "var" / "models"  # converted models are shared by all tests and runs

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def interrupt(process: subprocess.Popen[bytes]) -> int:
    """Ctrl-C, as a terminal sends it to the whole foreground process group."""
    os.killpg(process.pid, signal.SIGINT)
    return process.wait(timeout=60)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, then make sure nothing of the service's process group is left behind."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        interrupt(process)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards, so test runs side by side never
    share one (skipped where there is no PostgreSQL)."""
    import psycopg

    name = f"guardchat_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({exc})")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def throwaway_postgres() -> Iterator[str]:
    """One database for this test run's gateway tests."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """The local Redis (skipped where there is none)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at 127.0.0.1:6379 ({exc})")
    return REDIS_URL


@pytest.fixture
def redis_key_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own in the local Redis, its keys deleted afterwards."""
    import redis

    prefix = f"guardchat-test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings with state in a fresh temporary folder."""
    return Settings(
        var_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'guardchat.db'}",
        model_cache_dir=MODEL_CACHE,
        _env_file=None,  # type: ignore[call-arg]
    )


class ScriptedModel:
    """A stand-in for the model server: replies with fixed text, records what it was sent.

    Given several replies, each call takes the next one; the last one repeats.
    """

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies) or ["Thanks for reaching out. I can help with that."]
        self.calls: list[list[dict[str, str]]] = []
        self.metadata: list[dict[str, str]] = []

    @property
    def reply(self) -> str:
        return self.replies[min(len(self.calls), len(self.replies) - 1)]

    async def stream(
        self, messages: list[dict[str, str]], max_tokens: int, metadata: dict[str, str]
    ) -> AsyncIterator[str]:
        reply = self.reply
        self.calls.append(messages)
        self.metadata.append(metadata)
        for word in reply.split(" "):
            yield word + " "


class DownModel(ScriptedModel):
    """A model server that cannot be reached."""

    async def stream(self, *args: object, **kwargs: object) -> AsyncIterator[str]:
        raise ModelUnavailable("connection refused")
        yield ""


@pytest.fixture
def scripted_model() -> ScriptedModel:
    return ScriptedModel()
