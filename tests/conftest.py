"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx
import pytest

from graphs import ModelUnavailable
from service.config import Settings

if TYPE_CHECKING:
    from tests.e2e.otlp_receiver import SpanSink

REPO = Path(__file__).resolve().parent.parent
MODEL_CACHE = REPO / "var" / "models"  # converted models are shared by all tests and runs
ARTIFACTS = REPO / "test-artifacts"

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


# ---------------------------------------------------------------- the real service


def start_service(
    var_dir: Path, port: int, model_port: int, env: dict[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:  # fmt: skip
    """`guardchat serve` (gateway plus a LitServe model-server child with the embedded model)
    in its own process group, state under `var_dir`."""
    environment = {
        **os.environ,
        "GUARDCHAT_VAR_DIR": str(var_dir),
        "GUARDCHAT_DATABASE_URL": f"sqlite:///{var_dir / 'e2e.db'}",
        "GUARDCHAT_MODEL_CACHE_DIR": str(MODEL_CACHE),
        "GUARDCHAT_MAX_NEW_TOKENS": "24",
        **(env or {}),
    }
    command = [sys.executable, "-m", "service.cli", "serve"]
    command += ["--port", str(port), "--model-port", str(model_port)]
    return subprocess.Popen(
        command, cwd=REPO, env=environment, start_new_session=True, stdout=log, stderr=log
    )


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "guardchat serve exited early"
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(1)
    raise AssertionError("service did not become ready")


@dataclass(frozen=True)
class Served:
    url: str
    model_url: str
    """The model server that `guardchat serve` started as its child."""
    process: subprocess.Popen[bytes]
    spans: SpanSink


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One `guardchat serve` for the whole run, shared by the tests that only talk to it (the
    browser, traces and load tests, and the model server's OpenAI API tests through its
    child), with its spans exported over OTLP/gRPC to a receiver the tests can read. A start
    takes 20-30 s on two cores: once. Its log is test-artifacts/e2e-service.log."""
    from tests.e2e.otlp_receiver import SpanSink, start_grpc_receiver

    sink = SpanSink()
    receiver, receiver_port = start_grpc_receiver(sink)
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver_port}",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "GUARDCHAT_TRUST_FORWARDED_FOR": "true",  # the load test speaks for many clients
    }
    port, model_port = free_port(), free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "e2e-service.log").open("wb") as log:
        process = start_service(tmp_path_factory.mktemp("served"), port, model_port, env, log)
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        yield Served(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{model_port}", process, sink)
    finally:
        # Nothing is checked about how this one stops (tests/e2e/test_two_processes.py checks
        # that of its own): SIGKILL to the group ends it at once, not 4-10 s later.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        receiver.stop(0)


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
        self.budgets: list[int] = []
        """The `max_tokens` of each call."""

    @property
    def reply(self) -> str:
        return self.replies[min(len(self.calls), len(self.replies) - 1)]

    async def stream(
        self, messages: list[dict[str, str]], max_tokens: int, metadata: dict[str, str]
    ) -> AsyncIterator[str]:
        reply = self.reply
        self.calls.append(messages)
        self.metadata.append(metadata)
        self.budgets.append(max_tokens)
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
