"""The compiled graph, run directly: no CPU-bound step holds the event loop, a step slower
than the guard timeout fails safe, and triage classifies only each new message.

Every service is a stand-in that answers at once, except the one under test, which blocks its
thread as Presidio or an ONNX model would. A probe task wakes every few milliseconds while the
turn runs; if a step ran on the event loop, the probe would be kept waiting as long.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graphs import build_graph
from guards.output_check import SAFE_FALLBACK_REPLY
from tests.unit.graphs.graph_fakes import Blocker, run_turn, services_with

STEPS = ("redact", "screen", "triage", "scope", "knowledge", "sentence_check", "reply_check")
SLOW_S = 0.3
"""How long the slow step blocks its thread: well under the guard timeout."""
PROBE_EVERY_S = 0.005


async def longest_stall(turn: Awaitable[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """Await ``turn`` beside a probe that wakes every few ms; also the longest time the event
    loop kept the probe waiting past its wake-up."""
    stalls, finished = [0.0], asyncio.Event()

    async def probe() -> None:
        while not finished.is_set():
            asleep = time.perf_counter()
            await asyncio.sleep(PROBE_EVERY_S)
            stalls.append(time.perf_counter() - asleep - PROBE_EVERY_S)

    probing = asyncio.create_task(probe())
    try:
        return await turn, max(stalls)
    finally:
        finished.set()
        await probing


@pytest.mark.parametrize("step", STEPS)
async def test_a_slow_step_does_not_hold_the_event_loop(step: str) -> None:
    final, stall = await longest_stall(run_turn(services_with(Blocker(step, SLOW_S))))
    assert final["reply"].startswith("Your order ships today."), "the turn still completes"
    assert stall < SLOW_S / 2, f"{step} held the event loop for {stall:.2f}s"


async def test_triage_past_the_timeout_hands_the_turn_to_a_person() -> None:
    final = await run_turn(services_with(Blocker("triage", 0.5), timeout_s=0.1))
    assert final["route"] == "handoff" and "triage:timeout" in final["reasons"]


@pytest.mark.parametrize("step", ["sentence_check", "reply_check"])
async def test_an_output_check_past_the_timeout_releases_only_the_safe_reply(step: str) -> None:
    final = await run_turn(services_with(Blocker(step, 0.5), timeout_s=0.1))
    assert final["reply"] == SAFE_FALLBACK_REPLY
    assert "output:timeout" in final["output_reasons"]


async def test_triage_classifies_only_the_new_message_each_turn() -> None:
    services, graph = services_with(Blocker()), build_graph(InMemorySaver())
    messages = ["Where is my order?", "It has not come yet.", "Can you check again?"]
    for message in messages:
        await run_turn(services, message, graph)
    assert services.triage.classified == messages  # type: ignore[attr-defined]
