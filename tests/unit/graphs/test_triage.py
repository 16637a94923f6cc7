"""Triage end to end: the real intent classifier with the shipped handoff policy."""

from __future__ import annotations

from typing import Any

import pytest

from graphs.routing import Signals, Triage
from service.filter_records import route_record
from service.filters import BadRecord


def user(content: str) -> dict[str, str]:
    return {"role": "user", "content": content}


def assistant(content: str) -> dict[str, str]:
    return {"role": "assistant", "content": content}


def test_explicit_request_for_human_hands_off_in_spanish(triage: Triage) -> None:
    decision = triage.route("hablar con una persona")
    assert decision.route == "handoff"
    assert decision.reasons == ("explicit_human_request",)


def test_bitext_request_for_an_agent_hands_off(triage: Triage) -> None:
    decision = triage.route("I need help to talk with a live agent")
    assert (decision.route, decision.intent, decision.category) == (
        "handoff",
        "contact_human_agent",
        "CONTACT",
    )


def test_rude_customer_is_not_handed_off(triage: Triage) -> None:
    decision = triage.route("where is my damn order")
    assert (decision.route, decision.intent, decision.offer_human) == (
        "assistant",
        "track_order",
        False,
    )


def test_question_about_customer_service_is_not_handed_off(triage: Triage) -> None:
    decision = triage.route("what are your customer service hours?")
    assert (decision.route, decision.intent) == ("assistant", "contact_customer_service")


def test_account_takeover_hands_off_whatever_the_intent(triage: Triage) -> None:
    decision = triage.route("someone hacked my account")
    assert decision.route == "handoff"
    assert decision.reasons == ("fraud_or_account_takeover",)


def test_redacted_placeholders_do_not_trigger_a_handoff(triage: Triage) -> None:
    decision = triage.route("hi, I'm <PERSON_1>, can you track order <ORDER_ID_1>?")
    assert (decision.route, decision.intent) == ("assistant", "track_order")


def test_same_intent_for_three_turns_offers_human(triage: Triage) -> None:
    history = ["where is my order?", "track my order please"]
    decision = triage.route("what is the status of my order", history=history)
    assert decision.route == "assistant" and decision.offer_human
    assert "same_intent_repeated" in decision.reasons


def test_low_confidence_twice_offers_human_once(triage: Triage) -> None:
    first = triage.route("blorp zzz", history=["hmm ok"])
    again = triage.route("blorp zzz", history=["hmm ok"], signals=Signals(human_offered=True))
    assert (first.route, first.offer_human, first.reasons) == (
        "assistant",
        True,
        ("low_confidence_twice",),
    )
    assert (again.route, again.offer_human) == ("assistant", False)


def test_signals_from_the_graph_are_used(triage: Triage) -> None:
    decision = triage.route("where is my order", signals=Signals(guard_blocks=2))
    assert decision.route == "handoff" and decision.reasons == ("repeated_guard_blocks",)


def test_route_record_for_a_single_text(triage: Triage) -> None:
    out = route_record(triage, {"text": "I want a refund"})
    assert out["route"] == "assistant"
    assert (out["intent"], out["category"]) == ("get_refund", "REFUND")
    assert 0.0 < out["confidence"] <= 1.0 and out["reasons"] == ["no_handoff_signal"]


def test_route_record_hands_off_when_an_earlier_turn_needed_a_person(triage: Triage) -> None:
    messages = [user("my account was hacked"), assistant("I'm sorry."), user("ok")]
    out = route_record(triage, {"messages": messages})
    assert out["route"] == "handoff" and out["reasons"] == ["fraud_or_account_takeover"]


def test_route_record_hands_off_when_customer_accepts_the_offer(triage: Triage) -> None:
    messages = [
        user("my refund still hasn't arrived"),
        assistant("Sorry about that. Would you like me to connect you with a colleague?"),
        user("yes please"),
    ]
    out = route_record(triage, {"messages": messages})
    assert out["route"] == "handoff" and out["reasons"] == ["accepted_human_offer"]


def test_route_record_counts_repeated_intent_across_user_turns(triage: Triage) -> None:
    messages = [
        user("where is my order?"),
        assistant("It is on its way."),
        user("track my order please"),
        assistant("Yes, it shipped on Monday."),
        user("what is the status of my order"),
    ]
    out = route_record(triage, {"messages": messages})
    assert out["route"] == "assistant" and "same_intent_repeated" in out["reasons"]


@pytest.mark.parametrize(
    ("record", "complaint"),
    [
        ({}, "'text'"),
        ({"text": 42}, "'text'"),
        ({"messages": "hello"}, "must be a list"),
        ({"messages": []}, "at least one user message"),
        ({"messages": [assistant("How can I help?")]}, "at least one user message"),
        ({"messages": [{"role": "robot", "content": "hi"}]}, "role"),
        ({"messages": [{"role": "user"}]}, "content"),
        ({"messages": ["hello"]}, r"messages\[0\]"),
    ],
)
def test_route_record_rejects_bad_records(
    triage: Triage, record: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(BadRecord, match=complaint):
        route_record(triage, record)


def test_route_record_rejects_messages_without_user_turn(triage: Triage) -> None:
    with pytest.raises(BadRecord, match="user message"):
        route_record(triage, {"messages": [assistant("Hello! How can I help?")]})
