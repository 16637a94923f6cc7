"""The whole service as a user runs it: `guardchat serve` starts the gateway and a LitServe
model-server child with the embedded SmolLM2; a two-turn conversation over HTTP, streamed
and not, that survives a restart; Ctrl-C (SIGINT) stops both processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import MODEL_CACHE, REPO, free_port

pytestmark = pytest.mark.slow


def start_service(tmp_path: Path, port: int, model_port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GUARDCHAT_VAR_DIR": str(tmp_path),
        "GUARDCHAT_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
        "GUARDCHAT_MODEL_CACHE_DIR": str(MODEL_CACHE),
        "GUARDCHAT_MAX_NEW_TOKENS": "24",
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--model-port", str(model_port)]
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "guardchat serve exited early"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError("service did not become ready")


def interrupt(process: subprocess.Popen[bytes]) -> int:
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    return process.wait(timeout=60)


@pytest.fixture
def ports() -> Iterator[tuple[int, int]]:
    yield free_port(), free_port()


def stream_turn(url: str, message: str, token: str) -> list[tuple[str, dict[str, object]]]:
    headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {token}"}
    events, kind = [], ""
    with httpx.stream("POST", f"{url}/v1/chat", json={"message": message}, headers=headers, timeout=120) as r:
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


def test_two_turn_conversation_streamed_and_not_survives_restart(
    tmp_path: Path, ports: tuple[int, int]
) -> None:
    port, model_port = ports
    url = f"http://127.0.0.1:{port}"
    service = start_service(tmp_path, port, model_port)
    try:
        wait_ready(url, service)
        first = httpx.post(f"{url}/v1/chat", json={"message": "How can I track my order?"}, timeout=120).json()
        assert first["route"] == "assistant" and first["reply"].strip()
        events = stream_turn(url, "And can I change the delivery address?", first["conversation_token"])
        assert [k for k, _ in events][0] == "meta" and events[-1][0] == "done"
    finally:
        assert interrupt(service) == 0
    assert not _listening(model_port), "the model server outlived Ctrl-C"

    service = start_service(tmp_path, port, model_port)
    try:
        wait_ready(url, service)
        auth = {"Authorization": f"Bearer {first['conversation_token']}"}
        transcript = httpx.get(f"{url}/v1/conversations/{first['conversation_id']}", headers=auth).json()
    finally:
        interrupt(service)
    assert [m["role"] for m in transcript["messages"]] == ["user", "assistant"] * 2


def _listening(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        return True
    except httpx.HTTPError:
        return False
