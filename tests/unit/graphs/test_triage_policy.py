"""The handoff policy on its own: rules, signals and offers, with made-up intent predictions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graphs.routing import HandoffPolicy, Signals
from graphs.routing.policy import DEFAULT_POLICY_FILE, edit_distance

from .conftest import prediction

CONFIDENT = prediction(confidence=0.95)
UNSURE = prediction(confidence=0.2)


def decide(policy: HandoffPolicy, text: str, signals: Signals | None = None) -> tuple[str, ...]:
    decision = policy.decide(text, CONFIDENT, signals or Signals())
    return (decision.route, *decision.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "talk to a human",
        "real person please",
        "agent!!",
        "operator",
        "i want to speek to a humna",
        "get me a representitive now",
        "I don't want to chat with a bot",
        "connect me with someone from your team",
        "can a human look at this please",
        "I demand to speak to your manager",
    ],
)
def test_explicit_request_for_human_hands_off(handoff_policy: HandoffPolicy, text: str) -> None:
    assert decide(handoff_policy, text) == ("handoff", "explicit_human_request")


@pytest.mark.parametrize(
    "text",
    [
        "hablar con una persona",
        "quiero hablar con un agente por favor",
        "necesito hablar con alguien",
    ],
)
def test_explicit_request_for_human_hands_off_in_spanish(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert decide(handoff_policy, text) == ("handoff", "explicit_human_request")


@pytest.mark.parametrize(
    "text",
    [
        "parler à un conseiller",
        "je voudrais parler à un hmuain svp",
        "mit einem Mitarbeiter sprechen",
        "Ich möchte mit einem Menschen sprechen",
        "vorrei parlare con un operatore",
        "quero falar com um atendente",
    ],
)
def test_explicit_request_for_human_hands_off_in_other_languages(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert decide(handoff_policy, text) == ("handoff", "explicit_human_request")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("someone hacked my account", "fraud_or_account_takeover"),
        ("there are unauthorized charges I didn't make", "fraud_or_account_takeover"),
        ("somebody logged into my account and changed the email", "fraud_or_account_takeover"),
        ("my lawyer will be in touch", "legal_threat"),
        ("I'll sue you", "legal_threat"),
        ("I don't want to live anymore", "safety_risk"),
        ("the charger caught fire", "safety_risk"),
        ("delete all my data", "data_protection_request"),
        ("what data do you hold on me?", "data_protection_request"),
        ("this is a GDPR subject access request", "data_protection_request"),
    ],
)
def test_serious_matters_hand_off_at_once(
    handoff_policy: HandoffPolicy, text: str, reason: str
) -> None:
    assert decide(handoff_policy, text) == ("handoff", reason)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("someone made purchases with my account", "fraud_or_account_takeover"),
        ("I can't go on anymore", "safety_risk"),
    ],
)
def test_paraphrases_of_serious_matters_hand_off(
    handoff_policy: HandoffPolicy, text: str, reason: str
) -> None:
    assert decide(handoff_policy, text) == ("handoff", reason)


@pytest.mark.parametrize(
    "text",
    [
        "where is my damn order",
        "what are your customer service hours?",
        "how can I contact customer support",
        "delete my account",
        "I was charged twice for my order",
        "my name is <PERSON_1>, send the invoice to <EMAIL_ADDRESS_1>",
        "the person who delivered my parcel was rude",
        "I forgot my password",
        "please update my personal details",
        "I want to explore your catalogue",
    ],
)
def test_ordinary_requests_stay_with_the_assistant(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert decide(handoff_policy, text) == ("assistant", "no_handoff_signal")


@pytest.mark.parametrize(
    ("signals", "reason"),
    [
        (Signals(guard_blocks=2), "repeated_guard_blocks"),
        (Signals(abuse_flag="threat"), "abuse_threat"),
        (Signals(abuse_flag="slur"), "abuse_slur"),
        (Signals(model_unavailable=True), "model_unavailable"),
    ],
)
def test_graph_signals_hand_off(
    handoff_policy: HandoffPolicy, signals: Signals, reason: str
) -> None:
    assert decide(handoff_policy, "where is my order", signals) == ("handoff", reason)


def test_a_single_guard_block_does_not_hand_off(handoff_policy: HandoffPolicy) -> None:
    assert decide(handoff_policy, "where is my order", Signals(guard_blocks=1))[0] == "assistant"


@pytest.mark.parametrize(
    "text",
    ["THIS IS RIDICULOUS WHERE IS MY REFUND", "this is the third time I ask about my refund"],
)
def test_strong_frustration_offers_human_without_handing_off(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    decision = handoff_policy.decide(text, CONFIDENT, Signals())
    assert (decision.route, decision.offer_human) == ("assistant", True)
    assert decision.reasons == ("strong_frustration",)


def test_placeholders_in_capitals_are_not_shouting(handoff_policy: HandoffPolicy) -> None:
    text = "send it to <EMAIL_ADDRESS_1> and <PERSON_1> <PHONE_NUMBER_1>"
    assert not handoff_policy.decide(text, CONFIDENT, Signals()).offer_human


def test_same_intent_three_turns_offers_human(handoff_policy: HandoffPolicy) -> None:
    decision = handoff_policy.decide("where is it", CONFIDENT, Signals(repeated_intent_turns=2))
    assert decision.offer_human and decision.reasons == ("same_intent_repeated",)


def test_low_confidence_twice_offers_human_once(handoff_policy: HandoffPolicy) -> None:
    first = handoff_policy.decide("hmm", UNSURE, Signals(low_confidence_turns=1))
    again = handoff_policy.decide(
        "hmm", UNSURE, Signals(low_confidence_turns=2, human_offered=True)
    )
    assert (first.route, first.offer_human, first.reasons) == (
        "assistant",
        True,
        ("low_confidence_twice",),
    )
    assert (again.route, again.offer_human) == ("assistant", False)
    assert again.reasons == ("low_confidence_twice", "human_already_offered")


def test_low_confidence_once_offers_nothing(handoff_policy: HandoffPolicy) -> None:
    assert not handoff_policy.decide("hmm", UNSURE, Signals()).offer_human


def test_yes_after_an_offer_hands_off(handoff_policy: HandoffPolicy) -> None:
    pending = Signals(human_offered=True, human_offer_pending=True)
    assert decide(handoff_policy, "yes please", pending) == ("handoff", "accepted_human_offer")
    assert decide(handoff_policy, "no thanks", pending)[0] == "assistant"
    assert decide(handoff_policy, "yes please", Signals())[0] == "assistant"


def test_classifier_intent_hands_off_unless_it_is_a_question_about_the_chat(
    handoff_policy: HandoffPolicy,
) -> None:
    sure = prediction("contact_human_agent", 0.97, "CONTACT")
    request = handoff_policy.decide("i try to get hold of an assistant", sure, Signals())
    question = handoff_policy.decide("who am I talking to", sure, Signals())
    assert request.route == "handoff" and question.route == "assistant"


def test_policy_file_is_configurable(tmp_path: Path) -> None:
    config = yaml.safe_load(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))
    config["handoff_rules"]["legal_threat"] = []
    config["guard_blocks_before_handoff"] = 5
    config["handoff_model_threshold"] = 1.01  # the handoff model never hands off
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    policy = HandoffPolicy.from_yaml(path)
    assert decide(policy, "I'll sue you")[0] == "assistant"
    assert decide(policy, "where is my order", Signals(guard_blocks=4))[0] == "assistant"


def test_policy_file_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    config = yaml.safe_load(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**config, "handof_rules": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match="handof_rules"):
        HandoffPolicy.from_yaml(path)


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [("human", "human", 0), ("humna", "human", 1), ("hmuan", "human", 1), ("lawyr", "lawyer", 1)],
)
def test_edit_distance_counts_swaps_as_one(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second) == distance
