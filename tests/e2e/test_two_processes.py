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

from tests.conftest import REPO, free_port, interrupt
from tests.e2e.conftest import start_service, wait_ready

pytestmark = pytest.mark.slow


@pytest.fixture
def ports() -> Iterator[tuple[int, int]]:
    yield free_port(), free_port()


def stream_turn(url: str, message: str, token: str) -> list[tuple[str, dict[str, object]]]:
    headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {token}"}
    events, kind = [], ""
    with httpx.stream(
        "POST", f"{url}/v1/chat", json={"message": message}, headers=headers, timeout=120
    ) as r:
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
        first = httpx.post(
            f"{url}/v1/chat", json={"message": "How can I track my order?"}, timeout=120
        ).json()
        assert first["route"] == "assistant" and first["reply"].strip()
        events = stream_turn(
            url, "And can I change the delivery address?", first["conversation_token"]
        )
        assert events[0][0] == "meta" and events[-1][0] == "done"
    finally:
        assert interrupt(service) == 0
    assert not _listening(model_port), "the model server outlived Ctrl-C"

    port, model_port = free_port(), free_port()  # the old ports may linger a moment
    url = f"http://127.0.0.1:{port}"
    service = start_service(tmp_path, port, model_port)
    try:
        wait_ready(url, service)
        auth = {"Authorization": f"Bearer {first['conversation_token']}"}
        transcript = httpx.get(
            f"{url}/v1/conversations/{first['conversation_id']}", headers=auth
        ).json()
    finally:
        interrupt(service)
    assert [m["role"] for m in transcript["messages"]] == ["user", "assistant"] * 2


def _listening(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        return True
    except httpx.HTTPError:
        return False


def test_sigkill_mid_turn_loses_no_turn_handoff_or_audit_event(
    tmp_path: Path, ports: tuple[int, int]
) -> None:
    port, model_port = ports
    url = f"http://127.0.0.1:{port}"
    agent = {"Authorization": "Bearer dev-agent-token"}
    service = start_service(tmp_path, port, model_port)
    try:
        wait_ready(url, service)
        pending = httpx.post(
            f"{url}/v1/chat", json={"message": "I want to speak to a human agent"}, timeout=120
        ).json()
        chatting = httpx.post(
            f"{url}/v1/chat", json={"message": "How do I track my order?"}, timeout=120
        ).json()
        _kill_during_stream(url, chatting["conversation_token"], service)
    finally:
        if service.poll() is None:
            os.killpg(service.pid, signal.SIGKILL)
        service.wait(timeout=30)

    port, model_port = free_port(), free_port()  # the old ports may linger a moment
    url = f"http://127.0.0.1:{port}"
    service = start_service(tmp_path, port, model_port)
    try:
        wait_ready(url, service)
        open_tickets = httpx.get(f"{url}/v1/handoffs?status=open", headers=agent).json()["handoffs"]
        auth = {"Authorization": f"Bearer {chatting['conversation_token']}"}
        transcript = httpx.get(
            f"{url}/v1/conversations/{chatting['conversation_id']}", headers=auth
        ).json()
        later = _turn_when_lease_frees(url, auth)
    finally:
        interrupt(service)
    assert pending["handoff_id"] in [t["id"] for t in open_tickets]
    assert [m["role"] for m in transcript["messages"]][:2] == ["user", "assistant"]
    assert later.status_code == 200
    env = {**os.environ, "GUARDCHAT_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}"}
    command = [sys.executable, "-m", "service.cli", "audit", "verify"]
    verify = subprocess.run(command, cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert verify.returncode == 0, verify.stdout


def _kill_during_stream(url: str, token: str, service: subprocess.Popen[bytes]) -> None:
    """Start a streamed turn and SIGKILL the whole service as soon as it has begun."""
    headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {token}"}
    try:
        with httpx.stream("POST", f"{url}/v1/chat", json={"message": "And the delivery time?"},
                          headers=headers, timeout=120) as response:  # fmt: skip
            for line in response.iter_lines():
                if line.startswith("event: meta"):
                    os.killpg(service.pid, signal.SIGKILL)
    except httpx.HTTPError:
        pass
    service.wait(timeout=30)


def _turn_when_lease_frees(url: str, auth: dict[str, str], within_s: float = 40) -> httpx.Response:
    deadline = time.monotonic() + within_s
    while True:
        response = httpx.post(
            f"{url}/v1/chat", json={"message": "Hello again"}, headers=auth, timeout=120
        )
        if response.status_code != 409 or time.monotonic() > deadline:
            return response
        time.sleep(2)
