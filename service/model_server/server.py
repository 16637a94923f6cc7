"""Building and running the LitServe model server from `Settings`."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import MutableMapping

import litserve as ls

from service.config import Settings
from service.model_server.api import ChatAPI
from service.model_server.capacity import CapacityLimit
from service.telemetry import setup_telemetry


def build_server(
    settings: Settings,
    max_batch_size: int = 16,
    max_in_flight: int = 32,
    request_timeout_s: float = 120.0,
    cancellations: MutableMapping[str, float] | None = None,
) -> ls.LitServer:
    """A LitServer for the configured model; load happens in the worker process.
    `cancellations` is a mapping shared between processes (a multiprocessing Manager dict)
    through which the HTTP side tells the worker that a client went away."""
    api = ChatAPI(
        model=settings.model,
        adapter=settings.resolved_adapter,
        cache_dir=settings.resolved_model_cache_dir,
        max_batch_size=max_batch_size,
        request_timeout_s=request_timeout_s,
        cancellations=cancellations,
    )
    return ls.LitServer(
        api,
        accelerator=_accelerator(settings.device),
        devices=1,
        workers_per_device=1,
        timeout=request_timeout_s,
        max_payload_size=1_000_000,
        middlewares=[(CapacityLimit, {"max_in_flight": max_in_flight})],
    )


def _accelerator(device: str) -> str:
    return {"auto": "auto", "cpu": "cpu", "cuda": "cuda"}[device]


def run_model_server(settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted (SIGINT, or SIGTERM as an orchestrator sends it)."""
    signal.signal(signal.SIGTERM, _interrupt)
    setup_telemetry("guardchat-model-server")
    with multiprocessing.Manager() as manager:
        server = build_server(settings, cancellations=manager.dict())
        server.run(host=host, port=port, generate_client_file=False, log_level="warning")


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM shuts down like Ctrl-C, so LitServe stops its worker processes too."""
    raise KeyboardInterrupt
