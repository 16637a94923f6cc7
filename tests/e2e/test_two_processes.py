"""The whole service as a user runs it: `guardchat serve` starts the gateway and a LitServe
model-server child with the embedded model. One state folder goes through three starts and
the three ways a service ends, each with a streamed turn in flight:

1. a two-turn conversation, JSON then streamed; Ctrl-C (SIGINT to the whole foreground
   process group, as a terminal sends it) ends every process of the group within seconds;
2. after a restart the conversation is all there; a customer asks for a human, another is
   mid-turn when the whole service is SIGKILLed;
3. after another restart no turn, handoff or audit event is lost and the killed turn's lease
   frees; SIGTERM (as a container runtime sends it) ends every process within seconds.

A start takes 20-30 s on a two-core machine, so the stops share starts (three, not seven).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, free_port, start_service, stop_group, wait_ready
from tests.e2e.conftest import group_members

pytestmark = pytest.mark.slow

STOP_WITHIN_S = 20.0
"""Within Kubernetes' default 30 s grace period, with room for a busy CI machine: it takes 2
to 6 s on an idle two-core machine, up to 16 s at a load average of 6 on two cores."""
AGENT = {"Authorization": "Bearer dev-agent-token"}


def test_turns_handoffs_and_audit_survive_ctrl_c_sigkill_and_sigterm(tmp_path: Path) -> None:
    with running(tmp_path, "first-start") as service:
        first = httpx.post(
            f"{service.url}/v1/chat", json={"message": "How can I track my order?"}, timeout=120
        ).json()
        assert first["route"] == "assistant" and first["reply"].strip()
        events = stream_turn(
            service.url, "And can I change the delivery address?", first["conversation_token"]
        )
        assert events[0][0] == "meta" and events[-1][0] == "done"
        assert_ends_cleanly(service, signal.SIGINT)

    first_auth = {"Authorization": f"Bearer {first['conversation_token']}"}
    with running(tmp_path, "second-start") as service:
        transcript = httpx.get(
            f"{service.url}/v1/conversations/{first['conversation_id']}", headers=first_auth
        ).json()
        assert [m["role"] for m in transcript["messages"]] == ["user", "assistant"] * 2
        pending = httpx.post(
            f"{service.url}/v1/chat", json={"message": "I want to speak to a human agent"},
            timeout=120,
        ).json()  # fmt: skip
        chatting = httpx.post(
            f"{service.url}/v1/chat", json={"message": "How do I track my order?"}, timeout=120
        ).json()
        _kill_during_stream(service.url, chatting["conversation_token"], service.process)

    auth = {"Authorization": f"Bearer {chatting['conversation_token']}"}
    with running(tmp_path, "third-start") as service:
        tickets = httpx.get(f"{service.url}/v1/handoffs?status=open", headers=AGENT).json()
        assert pending["handoff_id"] in [t["id"] for t in tickets["handoffs"]]
        transcript = httpx.get(
            f"{service.url}/v1/conversations/{chatting['conversation_id']}", headers=auth
        ).json()
        assert [m["role"] for m in transcript["messages"]][:2] == ["user", "assistant"]
        assert _turn_when_lease_frees(service.url, auth).status_code == 200
        assert_ends_cleanly(service, signal.SIGTERM)

    env = {**os.environ, "GUARDCHAT_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}"}
    command = [sys.executable, "-m", "service.cli", "audit", "verify"]
    verify = subprocess.run(command, cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert verify.returncode == 0, verify.stdout


# ---------------------------------------------------------------- starting and stopping


@dataclass(frozen=True)
class Running:
    url: str
    model_port: int
    process: subprocess.Popen[bytes]
    log: Path


@contextlib.contextmanager
def running(var_dir: Path, name: str) -> Iterator[Running]:
    """`guardchat serve` on state in `var_dir`, its output in `var_dir/{name}.log`; whatever
    of its process group is still running at the end is stopped."""
    port, model_port = free_port(), free_port()  # new ports each start: old ones may linger
    log_path = var_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = start_service(var_dir, port, model_port, log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, process)
        yield Running(url, model_port, process, log_path)
    finally:
        stop_group(process)


def assert_ends_cleanly(service: Running, stop_signal: signal.Signals) -> None:
    """`stop_signal` to the whole group with a turn in flight: the stop is logged, the
    gateway exits 0, and within seconds no process of the group is left (gateway, model
    server, LitServe's inference and HTTP workers, managers, resource tracker)."""
    pid = service.process.pid
    members = group_members(pid)
    with turn_in_flight(service.url):
        os.killpg(pid, stop_signal)
        status = service.process.wait(timeout=STOP_WITHIN_S)
        left = left_after(pid, STOP_WITHIN_S)
    assert len(members) >= 4, "gateway, model server and its workers were all running"
    assert status == 0 and left == [], f"still running after {stop_signal.name}: {left}"
    assert f"{stop_signal.name} received: stopping" in service.log.read_text()
    assert not _listening(service.model_port), f"the model server outlived {stop_signal.name}"


@contextlib.contextmanager
def turn_in_flight(url: str) -> Iterator[None]:
    """A streamed turn that has begun (its `meta` event arrived) and not ended."""
    begun = threading.Event()

    def stream() -> None:
        with contextlib.suppress(httpx.HTTPError):
            message = {"message": "How do I track my order? Tell me every step."}
            headers = {"Accept": "text/event-stream"}
            with httpx.stream("POST", f"{url}/v1/chat", json=message, headers=headers,
                              timeout=120) as response:  # fmt: skip
                for line in response.iter_lines():
                    if line.startswith("event: meta"):
                        begun.set()
        begun.set()

    streaming = threading.Thread(target=stream, daemon=True)
    streaming.start()
    begun.wait(timeout=60)
    yield
    streaming.join(timeout=STOP_WITHIN_S)


def left_after(pgid: int, within_s: float) -> list[int]:
    """The group's processes still alive once it has emptied or ``within_s`` has passed."""
    deadline = time.monotonic() + within_s
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.2)
    return group_members(pgid)


def _listening(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        return True
    except httpx.HTTPError:
        return False


# ---------------------------------------------------------------- turns


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
