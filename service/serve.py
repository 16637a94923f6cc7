"""`guardchat serve`: the gateway, plus a model-server child process unless one is named.

Ctrl-C stops both: the child gets SIGTERM (then SIGKILL if it lingers) when the gateway exits.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time

import httpx
import uvicorn

from service.config import Settings
from service.gateway.app import create_app

log = logging.getLogger("guardchat.serve")

MODEL_START_TIMEOUT_S = 600.0


def serve(settings: Settings, host: str, port: int) -> int:
    child = None if settings.model_url else start_model_server(settings)
    try:
        if child is not None:
            wait_until_healthy(settings.resolved_model_url, child)
        log.info(
            "gateway on http://%s:%d (model server %s)", host, port, settings.resolved_model_url
        )
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return 0
    finally:
        if child is not None:
            stop(child)


def start_model_server(settings: Settings) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "service.cli", "model-server",
        "--host", settings.model_host, "--port", str(settings.model_port),
        "--model", settings.model, "--device", settings.device,
    ]  # fmt: skip
    if settings.resolved_adapter:
        command += ["--adapter", settings.resolved_adapter]
    log.info("starting the model server on %s:%d", settings.model_host, settings.model_port)
    return subprocess.Popen(command)  # same process group: a Ctrl-C reaches it too


def wait_until_healthy(url: str, child: subprocess.Popen[bytes]) -> None:
    """Poll the model server's /health, logging progress, until it answers 200."""
    started = time.monotonic()
    while time.monotonic() - started < MODEL_START_TIMEOUT_S:
        if child.poll() is not None:
            raise SystemExit(f"the model server exited with status {child.returncode}")
        if _healthy(url):
            log.info("model server ready after %.0fs", time.monotonic() - started)
            return
        time.sleep(1.0)
    raise SystemExit("the model server did not become healthy in time")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def stop(child: subprocess.Popen[bytes], grace_s: float = 20.0) -> None:
    """Interrupt the model server (it then stops LitServe's worker processes), or kill it."""
    if child.poll() is None:
        child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
