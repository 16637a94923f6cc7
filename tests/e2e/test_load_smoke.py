"""A short load run against the real service (`guardchat serve` with the embedded model):
a few concurrent conversations for a few seconds, JSON and streamed, with no error other
than deliberate 429/503, and the memory of both processes sampled."""

from __future__ import annotations

import pytest

from service.bench.load import LoadError, parents, run_load
from tests.conftest import Served

pytestmark = pytest.mark.slow


def model_server_pid(serve_pid: int) -> int:
    """The model-server child that `guardchat serve` started."""
    return next(child for child, parent in parents().items() if parent == serve_pid)


def test_five_conversations_for_ten_seconds_have_no_unexpected_errors(served: Served) -> None:
    pid = served.process.pid
    pids = {"gateway": pid, "model-server": model_server_pid(pid)}
    report = run_load(
        served.url, 5, 10.0, pids=pids, sample_every_s=2.0, request_timeout_s=60,
        distinct_clients=True,
    )  # fmt: skip
    assert report.unexpected_errors == 0, report.errors
    assert report.turns_ok >= 5 and report.sse_ok and report.json_ok
    assert all(len(track.samples) >= 2 and track.peak > 0 for track in report.memory.values())
    assert set(report.memory) == {"gateway", "model-server"}


def test_the_load_client_refuses_anything_but_loopback() -> None:
    with pytest.raises(LoadError):
        run_load("http://example.com:8000", 1, 1.0)
