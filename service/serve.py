"""`guardchat serve`: the gateway, plus a model-server child process unless one is named.

Ctrl-C, or SIGINT or SIGTERM to the process group, stops both within seconds, logged: the
gateway drains its requests for at most `DRAIN_S`, and the model server (which got the signal
too, or gets SIGTERM from the gateway) stops its workers; SIGKILL if it lingers.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from types import FrameType

import httpx
import uvicorn

from service.config import Settings
from service.gateway.app import create_app
from service.stop_signals import StopSignals

log = logging.getLogger("guardchat.serve")

MODEL_START_TIMEOUT_S = 600.0
DRAIN_S = 3
"""How long the gateway lets requests in flight finish once asked to stop."""
MODEL_SERVER_STOP_S = 15.0
"""How long the model server gets to stop its workers (it kills them itself after 8 s)."""


class GatewayServer(uvicorn.Server):
    """uvicorn, saying which signal stopped it as soon as it arrives."""

    def __init__(self, config: uvicorn.Config, signals: StopSignals) -> None:
        super().__init__(config)
        self.signals = signals

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.signals.note(sig)
        super().handle_exit(sig, frame)


def serve(settings: Settings, host: str, port: int, signals: StopSignals) -> int:
    """Run until SIGINT or SIGTERM (`signals`, installed); a stop asked for that way is a
    clean exit (0)."""
    child = None if settings.model_url else start_model_server(settings)
    try:
        if child is not None:
            wait_until_healthy(settings.resolved_model_url, child)
        run_gateway(settings, host, port, signals)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if child is not None:
            stop(child)


def run_gateway(settings: Settings, host: str, port: int, signals: StopSignals) -> None:
    log.info("gateway on http://%s:%d (model server %s)", host, port, settings.resolved_model_url)
    config = uvicorn.Config(
        create_app(settings), host=host, port=port, log_level="warning",
        timeout_graceful_shutdown=DRAIN_S,
    )  # fmt: skip
    GatewayServer(config, signals).run()


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


def stop(child: subprocess.Popen[bytes], grace_s: float = MODEL_SERVER_STOP_S) -> None:
    """Ask the model server to stop (a signal to the group may have done so already: it
    heeds only the first), or kill it if it lingers."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        log.warning("the model server did not stop within %.0fs: killed", grace_s)
        child.kill()
        child.wait()
    log.info("model server stopped")
