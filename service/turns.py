"""`TurnRunner`: one customer turn from raw message to reply, as a stream of events.

It opens or finds the conversation, holds its turn lease, runs the graph with the raw text
in the (never persisted) run context, saves the sealed vault, and restores the customer's
own details only in what goes back to that customer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from langgraph.types import Command
from opentelemetry import trace

from graphs import (
    REDACTION_FAILED_REPLY,
    AgentEvent,
    ChatServices,
    Message,
    RedactionFailed,
    TurnContext,
)
from guards.redaction import PlaceholderVault
from service.audit_trail import AuditEntry, turn_entries
from service.metrics import TURNS
from service.security import ConversationTokens
from service.storage.audit import AuditLog
from service.storage.conversations import ConversationRecord, ConversationStore

tracer = trace.get_tracer("guardchat.gateway")

EventKind = Literal["meta", "delta", "handoff", "done", "error"]
CUSTOMER_MESSAGE: AgentEvent = {"event": "customer_message"}


class UnknownConversation(LookupError):
    """No conversation has that id."""


class ConversationClosed(RuntimeError):
    """The conversation was closed; a new one must be started."""


@dataclass(frozen=True)
class TurnEvent:
    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)


class TurnRunner:
    """Runs turns through the graph for the gateway."""

    def __init__(
        self,
        graph: Any,
        store: ConversationStore,
        services: ChatServices,
        audit: AuditLog,
        tokens: ConversationTokens,
    ):
        self.graph = graph
        self.store = store
        self.services = services
        self.audit = audit
        self.tokens = tokens

    async def open(self, conversation_id: str | None) -> ConversationRecord:
        """The conversation named, or a new one when none is named."""
        if conversation_id is None:
            return await self.store.create()
        record = await self.store.get(conversation_id)
        if record is None:
            raise UnknownConversation(conversation_id)
        if record.status == "closed":
            raise ConversationClosed(conversation_id)
        return record

    async def transcript(self, conversation_id: str) -> list[Message]:
        """The conversation's redacted transcript, from the graph's checkpoint."""
        snapshot = await self.graph.aget_state(thread(conversation_id))
        return list(snapshot.values.get("messages", []))

    async def waiting_for_agent(self, conversation_id: str) -> bool:
        """True while the graph is paused for a human agent."""
        snapshot = await self.graph.aget_state(thread(conversation_id))
        return "await_agent" in (snapshot.next or ())

    async def resume_for_agent(self, conversation_id: str, event: AgentEvent) -> None:
        """Resume the paused graph with an agent-side event (message or resolution)."""
        context = TurnContext(
            conversation_id=conversation_id,
            raw_message="",
            vault=PlaceholderVault(),
            services=self.services,
            with_human=True,
        )
        await self.graph.ainvoke(Command(resume=event), thread(conversation_id), context=context)

    async def run(self, record: ConversationRecord, message: str) -> AsyncIterator[TurnEvent]:
        """Events of one turn: meta, deltas and handoff as they happen, then done."""
        async with self.store.hold_turn(record.id):
            # Not made "current": a streamed turn resumes in another task than it started in,
            # so every step below is parented on this span explicitly instead.
            span = tracer.start_span("turn", kind=trace.SpanKind.INTERNAL)
            span.set_attribute("gen_ai.conversation.id", record.id)
            try:
                async for event in self._run_graph(record, message, span):
                    yield event
            finally:
                span.end()

    async def _run_graph(
        self, record: ConversationRecord, message: str, span: trace.Span
    ) -> AsyncIterator[TurnEvent]:
        trace_id = format(span.get_span_context().trace_id, "032x")
        yield TurnEvent("meta", self._identity(record, trace_id))
        vault = await self.store.load_vault(record.id)
        with_human = await self.waiting_for_agent(record.id)
        context = TurnContext(
            conversation_id=record.id,
            raw_message=message,
            vault=vault,
            services=self.services,
            with_human=with_human,
            trace_parent=trace.set_span_in_context(span),
        )
        graph_input: Command[Any] | dict[str, Any] = (
            Command(resume=CUSTOMER_MESSAGE) if with_human else {"messages": []}
        )
        final: dict[str, Any] = {}
        try:
            async for mode, chunk in self.graph.astream(
                graph_input,
                thread(record.id),
                context=context,
                stream_mode=["custom", "values"],
            ):
                if mode == "values":
                    final = chunk
                elif event := _custom_event(chunk, vault):
                    yield event
        except RedactionFailed:
            final = {
                "reply": REDACTION_FAILED_REPLY,
                "route": "refuse",
                "reasons": ["redaction_failed"],
            }
        await self.store.save_vault(record.id, vault)
        await self.record(record.id, trace_id, turn_entries(final))
        yield TurnEvent("done", self._done(record, trace_id, final, vault))

    async def record(self, conversation_id: str, trace_id: str, entries: list[AuditEntry]) -> None:
        """Append decisions to the conversation's audit chain, in order."""
        for kind, detail in entries:
            await self.audit.append(conversation_id, trace_id, kind, detail)

    def _identity(self, record: ConversationRecord, trace_id: str) -> dict[str, Any]:
        return {
            "conversation_id": record.id,
            "conversation_token": self.tokens.issue(record.id),
            "trace_id": trace_id,
        }

    def _done(
        self,
        record: ConversationRecord,
        trace_id: str,
        final: dict[str, Any],
        vault: PlaceholderVault,
    ) -> dict[str, Any]:
        route = "handoff" if final.get("route") in ("handoff", "relay") else "assistant"
        TURNS.labels(route=final.get("route", "assistant")).inc()
        return {
            **self._identity(record, trace_id),
            "reply": vault.restore(final.get("reply", "")),
            "route": route,
            "intent": final.get("intent"),
            "handoff_id": final.get("handoff_id"),
            "answered_by": _answered_by(final),
        }


def _answered_by(final: dict[str, Any]) -> str:
    """Who wrote the reply: model, knowledge, fallback, or a fixed text for its route."""
    route = final.get("route", "assistant")
    if route == "assistant":
        return str(final.get("answered_by") or "fallback")
    return {"relay": "handoff"}.get(route, route)


def thread(conversation_id: str) -> dict[str, Any]:
    """The LangGraph config naming a conversation's checkpoint thread."""
    return {"configurable": {"thread_id": conversation_id}}


def _custom_event(chunk: dict[str, Any], vault: PlaceholderVault) -> TurnEvent | None:
    if "delta" in chunk:
        return TurnEvent("delta", {"text": vault.restore(chunk["delta"])})
    if "handoff" in chunk:
        return TurnEvent("handoff", {"handoff_id": chunk["handoff"]})
    return None
