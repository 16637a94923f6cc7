"""Agent assist in the graph: the case summary, and a suggested reply drafted by the graph's own
answering steps (grounded, checked), with stand-ins for every service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from graphs import Message, ModelUnavailable, NoSuggestion, case_summary, suggest_reply
from graphs.prompts import OFFER_HUMAN_SUFFIX
from guards.output_check import OutputReview
from guards.redaction import PlaceholderVault
from tests.conftest import ScriptedModel
from tests.unit.graphs.graph_fakes import (
    MODEL_REPLY,
    Blocker,
    FakeGuard,
    FakeOutputCheck,
    services_with,
)
from tests.unit.graphs.test_graph_routes import OneFact


def line(role: str, content: str) -> Message:
    return {"role": role, "content": content, "at": "2026-01-01T00:00:00.000+00:00"}  # type: ignore[typeddict-item]


HANDED_OFF = [
    line("user", "hi"),
    line("assistant", "Hello! How can I help?"),
    line("user", "I am <PERSON_1> and my order <ORDER_ID_1> never arrived, it was a gift"),
    line("assistant", "I'm sorry to hear that. Let me check."),
    line("user", "I want to talk to a human agent"),
    line("assistant", "I'm connecting you with a member of our support team."),
]


class DownModel:
    """The model server is not answering."""

    def stream(self, *_: Any) -> AsyncIterator[str]:
        raise ModelUnavailable("connection refused")


class WithholdsEverything(FakeOutputCheck):
    def review_sentence(self, sentence: str, **_: Any) -> OutputReview:
        return OutputReview("block", "", ("output:harmful",))


def test_the_summary_quotes_the_request_and_the_latest_words_not_the_greeting() -> None:
    summary = case_summary(HANDED_OFF)
    assert "Customer asked: “I am <PERSON_1> and my order <ORDER_ID_1> never arrived" in summary
    assert "Latest from the customer: “I want to talk to a human agent”" in summary
    assert "The assistant replied 3 times" in summary and "“hi”" not in summary


def test_the_summary_is_short_and_counts_the_agents_replies() -> None:
    long_words = "word " * 200
    transcript = [line("user", long_words), line("agent", "Hi, Sam here. " + long_words)]
    summary = case_summary(transcript)
    assert len(summary) < 500 and "…" in summary
    lines = summary.splitlines()
    assert lines[1] == "The assistant has not replied"
    assert lines[2].startswith("Agents replied once, last: “Hi, Sam here.")
    assert lines[2].endswith("…”")


def test_a_conversation_without_customer_words_says_so() -> None:
    assert case_summary([]) == "The customer has not written yet."


async def test_a_suggestion_is_the_models_checked_reply_to_the_latest_message() -> None:
    services = services_with()
    suggested = await suggest_reply(services, "c1", HANDED_OFF, PlaceholderVault())
    assert (suggested.text, suggested.source) == (MODEL_REPLY, "model")
    sent = services.model.calls[0]  # type: ignore[attr-defined]
    assert sent[0]["role"] == "system" and sent[1]["content"] == "hi"
    assert "taken this conversation over" in sent[0]["content"]
    assert sent[-1] == {"role": "user", "content": "I want to talk to a human agent"}


async def test_a_suggestion_is_grounded_in_the_knowledge_base() -> None:
    services = services_with(knowledge=OneFact(), model=ScriptedModel("You can return it."))
    suggested = await suggest_reply(services, "c1", HANDED_OFF, PlaceholderVault())
    assert "Returns are accepted within 30 days" in services.model.calls[0][0]["content"]  # type: ignore[attr-defined]
    assert suggested.text == "You can return it. Returns are accepted within 30 days of delivery."


async def test_with_the_model_down_the_knowledge_base_drafts_without_offering_a_human() -> None:
    services = services_with(knowledge=OneFact(), model=DownModel())
    suggested = await suggest_reply(services, "c1", HANDED_OFF, PlaceholderVault())
    assert suggested.text == OneFact.answer and suggested.source == "knowledge"
    assert OFFER_HUMAN_SUFFIX.strip() not in suggested.text
    assert "model_unavailable" in suggested.reasons


async def test_with_the_model_down_and_no_fact_there_is_no_suggestion() -> None:
    with pytest.raises(NoSuggestion, match="model is unavailable"):
        await suggest_reply(services_with(model=DownModel()), "c1", HANDED_OFF, PlaceholderVault())


async def test_a_draft_the_check_withholds_entirely_is_no_suggestion() -> None:
    services = services_with(output_check=WithholdsEverything(Blocker()))
    with pytest.raises(NoSuggestion, match="withheld"):
        await suggest_reply(services, "c1", HANDED_OFF, PlaceholderVault())


async def test_a_request_outside_the_business_suggests_the_redirect() -> None:
    services = services_with(scope_check=FakeGuard("scope", Blocker(), "out_of_scope"))
    suggested = await suggest_reply(services, "c1", HANDED_OFF, PlaceholderVault())
    assert suggested.source == "redirect" and services.model.calls == []  # type: ignore[attr-defined]
