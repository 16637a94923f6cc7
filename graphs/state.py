"""What the conversation graph remembers: its state, persisted by the checkpointer.

Only redacted text ever enters `ConversationState`: the checkpointer writes it to the
database. The customer's raw message and the placeholder vault travel in the run's
`TurnContext` (`graphs/context.py`), which LangGraph never persists.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

Role = Literal["user", "assistant", "agent"]
Route = Literal["assistant", "handoff", "refuse", "relay", "redirect"]


class Message(TypedDict):
    """One line of the transcript, as stored and shown: redacted."""

    role: Role
    content: str
    at: str  # ISO 8601, UTC


class ConversationState(TypedDict, total=False):
    """The graph's persisted state; every text field is redacted."""

    messages: Annotated[list[Message], operator.add]
    """The whole transcript so far (each node appends; nothing is rewritten)."""
    user_text: str
    """This turn's customer message after redaction."""
    entity_counts: dict[str, int]
    """This turn's redaction findings: counts by type, never values."""
    screen: dict[str, Any]
    """This turn's input-guard verdict: allowed, category, score, reasons."""
    guard_blocks: int
    """How many turns of this conversation an input guard has blocked so far."""
    route: Route
    """Where this turn went: the bot answers, a human takes over, a refusal, a redirect of a
    request outside the company's business, or a relay of the message to the human who
    already has the conversation."""
    intent: str
    """This turn's Bitext intent, as triage classified it."""
    category: str
    """The intent's Bitext category."""
    confidence: float
    """How sure the intent classifier was, 0 to 1."""
    reasons: list[str]
    """Why the turn was routed where it went (from the guards and triage)."""
    offer_human: bool
    """This turn's reply ends with the offer of a human (triage asked for it)."""
    human_offered: bool
    """A human has been offered once in this conversation; it is not offered again."""
    low_confidence_turns: int
    """How many turns of this conversation triage was unsure of the intent."""
    intent_history: list[str]
    """The intents of the latest turns (at most 10), oldest first."""
    facts: list[str]
    """This turn's knowledge base answers relevant to the message (the grounding)."""
    knowledge_answer: str
    """A knowledge base answer that matches the message so closely (an FAQ asked almost word
    for word) that it is the reply, without the model."""
    answering_fact: str
    """The knowledge base answer to the message (a clear match, or a policy that likely
    answers it): the reply states it, after the model's words unless they already do, or
    first when `fact_leads`."""
    fact_leads: bool
    """Whether the reply begins with `answering_fact` and the model goes on from it (the
    entry is a policy that answers a question by itself, not steps to take)."""
    answered_by: Literal["model", "knowledge", "fallback"]
    """Who wrote this turn's reply: the model, the knowledge base, or a fixed fallback."""
    draft: str
    """The reply before the last look of the output check (redacted)."""
    reply: str
    """The reply the customer gets, redacted (placeholders restored only on the way out)."""
    output_reasons: list[str]
    """What the output check withheld or changed in this turn's reply, and why."""
    handoff_id: str | None
    """The ticket a human agent has for this conversation, once handed off."""
    agent_event: str
    """While a human has the conversation: what resumed the graph last."""


def fresh_turn() -> dict[str, Any]:
    """Per-turn fields reset at the start of every turn (the rest carries over)."""
    return {
        "route": "assistant",
        "reasons": [],
        "offer_human": False,
        "facts": [],
        "knowledge_answer": "",
        "answering_fact": "",
        "fact_leads": False,
        "draft": "",
        "reply": "",
        "output_reasons": [],
        "handoff_id": None,
    }
