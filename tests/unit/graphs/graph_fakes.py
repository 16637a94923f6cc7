"""Stand-ins for every service a turn calls, for tests that run the compiled graph directly.

Each answers at once, except the step a `Blocker` names, which blocks its thread as Presidio or
an ONNX model would.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from graphs import ChatServices, HandoffRequest, PromptBook, TurnContext, build_graph
from graphs.routing import RouteDecision, Signals
from guards.company_profile import CompanyProfile
from guards.knowledge import Match
from guards.output_check import OutputReview
from guards.redaction import PlaceholderVault, Redaction
from guards.verdict import Verdict
from tests.conftest import ScriptedModel

GUARD_TIMEOUT_S = 1.0
MODEL_REPLY = "Your order ships today. It arrives on Friday."


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
    blocks_as: str = ""
    """The category every text is blocked with (``injection``, ``out_of_scope``); empty:
    every text is allowed."""

    def check(self, text: str) -> Verdict:
        self.blocker.work(self.name)
        if self.blocks_as:
            return Verdict(False, text, (f"{self.name}:{self.blocks_as}",), 1.0, self.blocks_as)
        return Verdict(allowed=True, text=text)


@dataclass(frozen=True)
class FakeRedactor:
    blocker: Blocker

    def redact(
        self, text: str, vault: PlaceholderVault | None = None, keep: Collection[str] = ()
    ) -> Redaction:
        self.blocker.work("redact")
        return Redaction(text, ())


class FakePolicy:
    low_confidence_threshold = 0.5

    def offers_human(self, assistant_message: str) -> bool:
        return False

    def assistant_repeated(self, assistant_messages: list[str]) -> bool:
        return False


@dataclass
class FakeTriage:
    blocker: Blocker
    policy: FakePolicy = field(default_factory=FakePolicy)
    classified: list[str] = field(default_factory=list)
    """Every text the classifier was given: the new message and any history."""
    handoff_reason: str = ""
    """Hand every turn to a person, for this reason; empty: the bot answers."""
    confidence: float = 0.9
    """How sure the classifier says it is of the intent."""

    def route(self, text: str, history: list[str] | None, signals: Signals) -> RouteDecision:
        self.blocker.work("triage")
        self.classified += [*(history or []), text]
        if self.handoff_reason:
            reasons = (self.handoff_reason,)
            return RouteDecision("handoff", "contact_human_agent", "CONTACT", 0.9, reasons)
        return RouteDecision("assistant", "track_order", "ORDER", self.confidence, ())


@dataclass(frozen=True)
class FakeKnowledge:
    blocker: Blocker

    def search(self, text: str, context: str = "") -> list[Match]:
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


def services_with(
    blocker: Blocker = Blocker(), timeout_s: float = GUARD_TIMEOUT_S, **replaced: Any
) -> ChatServices:
    """A turn's services, all instant but the blocker's step; ``replaced`` ones aside."""
    services = ChatServices(
        redactor=FakeRedactor(blocker),  # type: ignore[arg-type]
        input_screen=FakeGuard("screen", blocker),  # type: ignore[arg-type]
        triage=FakeTriage(blocker),  # type: ignore[arg-type]
        scope_check=FakeGuard("scope", blocker),  # type: ignore[arg-type]
        knowledge=FakeKnowledge(blocker),  # type: ignore[arg-type]
        model=ScriptedModel(MODEL_REPLY),
        output_check=FakeOutputCheck(blocker),  # type: ignore[arg-type]
        handoffs=FakeDesk(),
        prompts=PromptBook(profile=CompanyProfile.from_yaml(), canary="GC-CANARY-test"),
        guard_timeout_s=timeout_s,
    )
    return dataclasses.replace(services, **replaced)


THREAD = {"configurable": {"thread_id": "conversation-1"}}


async def run_turn(
    services: ChatServices, message: str = "Where is my order?", graph: Any = None, run: Any = None
) -> dict[str, Any]:
    """One customer turn through the compiled graph (a fresh one unless given), or, given
    ``run`` (a LangGraph `Command`), a resumption; the final state."""
    graph = graph or build_graph(InMemorySaver())
    context = TurnContext("conversation-1", message, PlaceholderVault(), services)
    graph_input = run if run is not None else {"messages": []}
    final: dict[str, Any] = await graph.ainvoke(graph_input, THREAD, context=context)
    return final
