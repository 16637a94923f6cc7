"""The fixed replies the bot writes itself."""

from __future__ import annotations

from graphs.prompts import (
    COMPLAINT_HANDOFF_REPLY,
    HANDOFF_REPLY,
    HUMAN_REQUEST_HANDOFF_REPLY,
    MODEL_DOWN_REPLY,
    handoff_reply,
)


def test_a_customer_who_asked_for_a_person_is_told_one_is_coming() -> None:
    assert handoff_reply("track_order", ["explicit_human_request"]) == HUMAN_REQUEST_HANDOFF_REPLY
    assert handoff_reply("contact_human_agent", []) == HUMAN_REQUEST_HANDOFF_REPLY


def test_a_complaint_handed_off_is_acknowledged_and_asks_for_details() -> None:
    reply = handoff_reply("complaint", ["formal_complaint"])
    assert reply == COMPLAINT_HANDOFF_REPLY and "sorry" in reply and "details" in reply


def test_other_handoffs_get_the_plain_reply_and_a_model_failure_says_so() -> None:
    assert handoff_reply("payment_issue", ["safety_risk"]) == HANDOFF_REPLY
    assert handoff_reply("contact_human_agent", ["model_unavailable"]) == MODEL_DOWN_REPLY
