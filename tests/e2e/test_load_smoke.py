"""A short load run against the real service (`guardchat serve` with the embedded model):
a few concurrent conversations for a few seconds, JSON and streamed, with no error other
than deliberate 429/503, and the memory of both processes sampled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service.bench.load import LoadError, parents, run_load
from tests.conftest import MODEL_CACHE, REPO, free_port

pytestmark = pytest.mark.slow


def start_service(tmp_path: Path, port: int, model_port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GUARDCHAT_VAR_DIR": str(tmp_path),
        "GUARDCHAT_DATABASE_URL": f"sqlite:///{tmp_path / 'load.db'}",
        "GUARDCHAT_MODEL_CACHE_DIR": str(MODEL_CACHE),
        "GUARDCHAT_MAX_NEW_TOKENS": "16",
        "GUARDCHAT_TRUST_FORWARDED_FOR": "true",  # one client address per conversation
    }
    command = [
        sys.executable, "-m", "service.cli", "serve",
        "--port", str(port), "--model-port", str(model_port),
    ]  # fmt: skip
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


def model_server_pid(serve_pid: int) -> int:
    """The model-server child that `guardchat serve` started."""
    return next(child for child, parent in parents().items() if parent == serve_pid)


def test_five_conversations_for_ten_seconds_have_no_unexpected_errors(tmp_path: Path) -> None:
    port, model_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    service = start_service(tmp_path, port, model_port)
    try:
        wait_ready(url, service)
        pids = {"gateway": service.pid, "model-server": model_server_pid(service.pid)}
        report = run_load(
            url, 5, 10.0, pids=pids, sample_every_s=2.0, request_timeout_s=60, distinct_clients=True
        )
    finally:
        os.killpg(service.pid, signal.SIGINT)
        service.wait(timeout=60)
    assert report.unexpected_errors == 0, report.errors
    assert report.turns_ok >= 5 and report.sse_ok and report.json_ok
    assert all(len(track.samples) >= 2 and track.peak > 0 for track in report.memory.values())
    assert set(report.memory) == {"gateway", "model-server"}


def test_the_load_client_refuses_anything_but_loopback() -> None:
    with pytest.raises(LoadError):
        run_load("http://example.com:8000", 1, 1.0)
