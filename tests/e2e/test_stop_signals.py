"""Stopping the service as a terminal does (Ctrl-C: SIGINT to the whole foreground process
group) and as a container runtime does (SIGTERM), with a streamed turn in flight: the stop is
logged, the gateway exits 0, and within seconds no process of the group is left (gateway,
model server, LitServe's inference and HTTP workers, managers, resource tracker)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, stop_group
from tests.e2e.conftest import group_members, start_service, wait_ready

pytestmark = pytest.mark.slow

STOP_WITHIN_S = 20.0
"""Within Kubernetes' default 30 s grace period, with room for a busy CI machine: it takes 2
to 6 s on an idle two-core machine, up to 16 s at a load average of 6 on two cores."""


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


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_stop_signal_to_the_group_ends_every_process_within_seconds(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    url, log_path = f"http://127.0.0.1:{(port := free_port())}", tmp_path / "serve.log"
    with log_path.open("wb") as log:
        service = start_service(tmp_path, port, free_port(), log=log)
    try:
        wait_ready(url, service)
        running = group_members(service.pid)
        with turn_in_flight(url):
            os.killpg(service.pid, stop_signal)
            status = service.wait(timeout=STOP_WITHIN_S)
            left = left_after(service.pid, STOP_WITHIN_S)
    finally:
        stop_group(service)
    assert len(running) >= 4, "gateway, model server and its workers were all running"
    assert status == 0 and left == [], f"still running: {left}"
    assert f"{stop_signal.name} received: stopping" in log_path.read_text()
