"""`ChatServices`: the components the graph's nodes call, handed in per turn (never persisted).

The model, the handoff desk and the metrics are protocols so the graph does not depend on
HTTP, SQL or Prometheus.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from graphs.state import Message
from guards.verdict import Verdict

if TYPE_CHECKING:
    from graphs.prompts import PromptBook
    from graphs.routing import Triage
    from guards.input_checks import InputScreen
    from guards.knowledge import KnowledgeBase
    from guards.output_check import OutputCheck
    from guards.redaction import Redactor
    from guards.scope_check import ScopeCheck


class ModelUnavailable(RuntimeError):
    """The model server could not answer (down, over capacity, timed out)."""


class ChatModel(Protocol):
    """Streams a reply to redacted chat messages."""

    def stream(
        self, messages: list[dict[str, str]], max_tokens: int, metadata: dict[str, str]
    ) -> AsyncIterator[str]: ...


@dataclass(frozen=True)
class HandoffRequest:
    """What a human agent needs to take a conversation over (all redacted)."""

    conversation_id: str
    reason: str
    intent: str
    summary: str
    transcript: list[Message]


class HandoffDesk(Protocol):
    """Where handoff tickets go; returns the ticket id."""

    async def open_ticket(self, request: HandoffRequest) -> str: ...


class TurnMetrics(Protocol):
    """Where the graph reports what it measures (the service: Prometheus)."""

    def observe_step(self, step: str, seconds: float) -> None: ...

    def count_verdict(self, guard_name: str, verdict: Verdict) -> None: ...


class NoMetrics:
    """Measures nothing: for a graph run without a metrics endpoint (tests, tools)."""

    def observe_step(self, step: str, seconds: float) -> None:
        pass

    def count_verdict(self, guard_name: str, verdict: Verdict) -> None:
        pass


@dataclass(frozen=True)
class ChatServices:
    """Everything a turn needs besides its state."""

    redactor: Redactor
    input_screen: InputScreen
    triage: Triage
    scope_check: ScopeCheck
    knowledge: KnowledgeBase
    model: ChatModel
    output_check: OutputCheck
    handoffs: HandoffDesk
    prompts: PromptBook
    guard_timeout_s: float = 2.0
    max_new_tokens: int = 160
    trace_content: bool = False
    """Put (redacted) message text on spans; off by default."""
    metrics: TurnMetrics = field(default_factory=NoMetrics)
