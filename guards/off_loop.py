"""Blocking work (Presidio, ONNX models, classifiers) off the event loop, under a time limit.

Every CPU-bound step of a turn goes through `run_off_loop`, so one slow step never stalls the
other conversations a gateway serves; each step says what failing safe means for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


async def run_off_loop(
    work: Callable[[], Result], timeout_s: float, fail_safe: Callable[[Exception], Result]
) -> Result:
    """``work()`` in a worker thread; an error, or no answer within ``timeout_s``, gives
    ``fail_safe(error)`` instead. A timed-out thread runs on, but its result is dropped."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(work), timeout=timeout_s)
    except Exception as exc:  # any failure takes the step's safe way out
        return fail_safe(exc)


def failure_kind(error: Exception) -> str:
    """``timeout`` or ``error``, for reasons such as ``triage:timeout``."""
    return "timeout" if isinstance(error, TimeoutError) else "error"
