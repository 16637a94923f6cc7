"""The fixed replies the bot writes itself."""

from __future__ import annotations

from graphs.prompts import (
    COMPLAINT_HANDOFF_REPLY,
    HANDOFF_REPLY,
    HUMAN_REQUEST_HANDOFF_REPLY,
    MODEL_DOWN_REPLY,
    handoff_reply,
)
from guards.company_profile import CompanyProfile

PROFILE = CompanyProfile.from_yaml(None)
HOURS = PROFILE.support_hours


def test_a_customer_who_asked_for_a_person_is_told_one_is_coming_and_how_else_to_reach_them() -> (
    None
):
    for intent, reasons in (
        ("track_order", ["explicit_human_request"]),
        ("contact_human_agent", []),
    ):
        reply = handoff_reply(intent, reasons, PROFILE)
        assert reply.startswith(
            f"{HUMAN_REQUEST_HANDOFF_REPLY} Our support team is available {HOURS}"
        )
        assert PROFILE.phone in reply and PROFILE.email in reply


def test_a_complaint_handed_off_is_acknowledged_and_asks_for_details() -> None:
    reply = handoff_reply("complaint", ["formal_complaint"], PROFILE)
    assert reply.startswith(COMPLAINT_HANDOFF_REPLY) and "sorry" in reply and "details" in reply


def test_other_handoffs_get_the_plain_reply_and_a_model_failure_says_so() -> None:
    assert handoff_reply("payment_issue", ["safety_risk"], PROFILE).startswith(HANDOFF_REPLY)
    model_down = handoff_reply("contact_human_agent", ["model_unavailable"], PROFILE)
    assert model_down.startswith(MODEL_DOWN_REPLY)
