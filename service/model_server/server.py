"""Building and running the LitServe model server from `Settings`."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import MutableMapping

import litserve as ls

from service.config import Settings
from service.model_server.api import ChatAPI
from service.model_server.capacity import CapacityLimit
from service.stop_signals import StopSignals
from service.telemetry import setup_telemetry

log = logging.getLogger("guardchat.model_server")

DRAIN_S = 2
"""How long LitServe's HTTP worker lets requests in flight finish once asked to stop."""
KILL_AFTER_S = 8.0
"""Past this after a stop signal, whatever of the model server is left is killed."""


def build_server(
    settings: Settings,
    max_batch_size: int = 16,
    max_in_flight: int | None = None,
    request_timeout_s: float = 120.0,
    cancellations: MutableMapping[str, float] | None = None,
) -> ls.LitServer:
    """A LitServer for the configured model; load happens in the worker process.
    `cancellations` is a mapping shared between processes (a multiprocessing Manager dict)
    through which the HTTP side tells the worker that a client went away.
    Admission: a request beyond the running batch (`max_in_flight`, by default the batch
    size) is answered 503 at once, so the gateway falls back without waiting."""
    api = ChatAPI(
        model=settings.model,
        adapter=settings.resolved_adapter,
        cache_dir=settings.resolved_model_cache_dir,
        max_batch_size=max_batch_size,
        request_timeout_s=request_timeout_s,
        cancellations=cancellations,
        engine=settings.engine,
    )
    return ls.LitServer(
        api,
        accelerator=_accelerator(settings.device),
        devices=1,
        workers_per_device=1,
        timeout=request_timeout_s,
        max_payload_size=1_000_000,
        middlewares=[(CapacityLimit, {"max_in_flight": max_in_flight or max_batch_size})],
    )


def _accelerator(device: str) -> str:
    return {"auto": "auto", "cpu": "cpu", "cuda": "cuda"}[device]


def run_model_server(settings: Settings, host: str, port: int) -> None:
    """Serve until SIGINT or SIGTERM; then LitServe stops its workers, and whatever of them
    is still running when it is done, or `KILL_AFTER_S` after the signal, is killed."""
    signals = StopSignals("model server", on_first=_kill_later).install()
    setup_telemetry("guardchat-model-server")
    try:
        _serve(settings, host, port)
    except KeyboardInterrupt:
        pass
    except (OSError, EOFError):
        if not signals.received:
            raise
        # stopping: the managers got the group's signal too and may be gone already
    finally:
        kill_workers()


def _serve(settings: Settings, host: str, port: int) -> None:
    with multiprocessing.Manager() as manager:
        server = build_server(settings, cancellations=manager.dict())
        server.uvicorn_graceful_timeout = DRAIN_S  # LitServe's default waits 30 s
        server.run(host=host, port=port, generate_client_file=False, log_level="warning")


def kill_workers() -> None:
    """Kill this process's worker processes (inference, HTTP, managers) that are left."""
    for worker in multiprocessing.active_children():
        worker.kill()
        worker.join(timeout=1.0)


def _kill_later() -> None:
    timer = threading.Timer(KILL_AFTER_S, _kill_now)
    timer.daemon = True  # a model server that stopped in time exits without waiting for it
    timer.start()


def _kill_now() -> None:
    log.warning("workers still running %.0fs after the stop signal: killed", KILL_AFTER_S)
    kill_workers()
    os._exit(1)
