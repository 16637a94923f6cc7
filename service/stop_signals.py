"""Stopping on SIGINT (a terminal's Ctrl-C, sent to the whole foreground process group) or
SIGTERM (what a container runtime sends): logged once, then unwound as a Ctrl-C.

A process group gets the signal all at once, and the gateway then asks its model server to
stop as well; so only the first signal counts: later ones are ignored, and cannot cut a
graceful shutdown short half-way (which is how workers used to be left behind).
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("guardchat.stop")

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def nothing() -> None:
    """No extra step on the first signal."""


class StopSignals:
    """The first SIGINT or SIGTERM is logged, runs `on_first` and raises KeyboardInterrupt in
    the main thread; later ones are ignored. `install` makes this process's handlers."""

    def __init__(self, what: str, on_first: Callable[[], None] = nothing) -> None:
        self.what = what
        self.on_first = on_first
        self.received = ""
        self.pid = os.getpid()

    def install(self) -> StopSignals:
        for stop_signal in STOP_SIGNALS:
            signal.signal(stop_signal, self.handle)
        return self

    def note(self, signum: int) -> bool:
        """Log the first stop signal; whether ``signum`` is that first one."""
        if self.received:
            return False
        self.received = signal.Signals(signum).name
        log.info("%s received: stopping the %s", self.received, self.what)
        self.on_first()
        return True

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self.pid:  # a forked child inherited this handler: leave quietly
            raise SystemExit(0)
        if self.note(signum):
            raise KeyboardInterrupt
