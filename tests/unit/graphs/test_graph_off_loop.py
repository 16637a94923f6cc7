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
from dataclasses import dataclass, field
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from graphs import ChatServices, HandoffRequest, PromptBook, TurnContext, build_graph
from graphs.routing import RouteDecision, Signals
from guards.company_profile import CompanyProfile
from guards.knowledge import Match
from guards.output_check import SAFE_FALLBACK_REPLY, OutputReview
from guards.redaction import PlaceholderVault, Redaction
from guards.verdict import Verdict
from tests.conftest import ScriptedModel

STEPS = ("redact", "screen", "triage", "scope", "knowledge", "sentence_check", "reply_check")
SLOW_S = 0.3
"""How long the slow step blocks its thread: well under the guard timeout below."""
GUARD_TIMEOUT_S = 1.0
PROBE_EVERY_S = 0.005


@dataclass(frozen=True)
class Blocker:
    """Which step is slow, and for how long it blocks the thread that runs it."""

    step: str = ""
    seconds: float = 0.0

    def work(self, step: str) -> None:
        if step == self.step:
            time.sleep(self.seconds)  # CPU-bound work holds its thread like this


@dataclass(frozen=True)
class FakeGuard:
    name: str
    blocker: Blocker

    def check(self, text: str) -> Verdict:
        self.blocker.work(self.name)
        return Verdict(allowed=True, text=text)


@dataclass(frozen=True)
class FakeRedactor:
    blocker: Blocker

    def redact(self, text: str, vault: PlaceholderVault | None = None) -> Redaction:
        self.blocker.work("redact")
        return Redaction(text, ())


class FakePolicy:
    low_confidence_threshold = 0.5

    def offers_human(self, assistant_message: str) -> bool:
        return False


@dataclass
class FakeTriage:
    blocker: Blocker
    policy: FakePolicy = field(default_factory=FakePolicy)
    classified: list[str] = field(default_factory=list)
    """Every text the classifier was given: the new message and any history."""

    def route(self, text: str, history: list[str] | None, signals: Signals) -> RouteDecision:
        self.blocker.work("triage")
        self.classified += [*(history or []), text]
        return RouteDecision("assistant", "track_order", "ORDER", 0.9, ())


@dataclass(frozen=True)
class FakeKnowledge:
    blocker: Blocker

    def search(self, text: str) -> list[Match]:
        self.blocker.work("knowledge")
        return []


@dataclass(frozen=True)
class FakeOutputCheck:
    blocker: Blocker

    def review_sentence(self, sentence: str, **_: Any) -> OutputReview:
        self.blocker.work("sentence_check")
        return OutputReview("pass", sentence)

    def review_released(self, reply: str) -> OutputReview:
        self.blocker.work("reply_check")
        return OutputReview("pass", reply)


class FakeDesk:
    async def open_ticket(self, request: HandoffRequest) -> str:
        return "ticket-1"


def services_with(blocker: Blocker, timeout_s: float = GUARD_TIMEOUT_S) -> ChatServices:
    """A turn's services, all instant but the blocker's step."""
    return ChatServices(
        redactor=FakeRedactor(blocker),  # type: ignore[arg-type]
        input_screen=FakeGuard("screen", blocker),  # type: ignore[arg-type]
        triage=FakeTriage(blocker),  # type: ignore[arg-type]
        scope_check=FakeGuard("scope", blocker),  # type: ignore[arg-type]
        knowledge=FakeKnowledge(blocker),  # type: ignore[arg-type]
        model=ScriptedModel("Your order ships today. It arrives on Friday."),
        output_check=FakeOutputCheck(blocker),  # type: ignore[arg-type]
        handoffs=FakeDesk(),
        prompts=PromptBook(profile=CompanyProfile.from_yaml(), canary="GC-CANARY-test"),
        guard_timeout_s=timeout_s,
    )


async def run_turn(
    services: ChatServices, message: str = "Where is my order?", graph: Any = None
) -> dict[str, Any]:
    """One customer turn through the compiled graph (a fresh one unless given); its final
    state."""
    graph = graph or build_graph(InMemorySaver())
    context = TurnContext("conversation-1", message, PlaceholderVault(), services)
    config = {"configurable": {"thread_id": "conversation-1"}}
    final: dict[str, Any] = await graph.ainvoke({"messages": []}, config, context=context)
    return final


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
