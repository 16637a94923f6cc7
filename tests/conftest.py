"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

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


@pytest.fixture
def scripted_model() -> ScriptedModel:
    return ScriptedModel()
