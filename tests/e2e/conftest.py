"""Running the real service for end-to-end tests: `guardchat serve` (gateway plus a LitServe
model-server child with the embedded SmolLM2) on free loopback ports.

`served` is one service shared by the tests that only talk to it (browser, traces, load),
with its spans exported over OTLP/gRPC to a receiver the tests can read; tests that stop or
kill the service start their own with `start_service`.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pytest

from tests.conftest import MODEL_CACHE, REPO, free_port, stop_group
from tests.e2e.otlp_receiver import SpanSink, start_grpc_receiver

ARTIFACTS = REPO / "test-artifacts"


def start_service(
    var_dir: Path, port: int, model_port: int, env: dict[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:  # fmt: skip
    """`guardchat serve` in its own process group, state under `var_dir`."""
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


def group_members(pgid: int) -> list[int]:
    """The live processes (zombies aside) of process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            state, _parent, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(group) == pgid and state != "Z":
                members.append(int(stat.parent.name))
    return members


@dataclass(frozen=True)
class Served:
    url: str
    process: subprocess.Popen[bytes]
    spans: SpanSink


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    sink = SpanSink()
    receiver, receiver_port = start_grpc_receiver(sink)
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver_port}",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "GUARDCHAT_TRUST_FORWARDED_FOR": "true",  # the load test speaks for many clients
    }
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "e2e-service.log").open("wb") as log:
        process = start_service(tmp_path_factory.mktemp("served"), port, free_port(), env, log)
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        yield Served(f"http://127.0.0.1:{port}", process, sink)
    finally:
        stop_group(process)
        receiver.stop(0)
