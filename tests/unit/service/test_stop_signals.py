"""A process group gets a stop signal all at once, and the model server gets one more from
the gateway: only the first counts, so a graceful shutdown is never cut short."""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator

import pytest

from service.stop_signals import STOP_SIGNALS, StopSignals


@pytest.fixture
def restored_handlers() -> Iterator[None]:
    previous = {stop_signal: signal.getsignal(stop_signal) for stop_signal in STOP_SIGNALS}
    yield
    for stop_signal, handler in previous.items():
        signal.signal(stop_signal, handler)


@pytest.mark.usefixtures("restored_handlers")
def test_only_the_first_stop_signal_interrupts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="guardchat.stop")
    first_signals: list[str] = []
    StopSignals("test service", on_first=lambda: first_signals.append("first")).install()
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGTERM)
    signal.raise_signal(signal.SIGINT)  # ignored: the shutdown under way goes on
    assert first_signals == ["first"]
    assert caplog.messages == ["SIGTERM received: stopping the test service"]
