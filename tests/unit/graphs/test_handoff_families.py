"""Issue 15: the families a person must handle hand off, their look-alikes stay with the bot.

Every message here is written for this test, apart from the handoff model's training examples.
"""

from __future__ import annotations

import pytest

from graphs.routing import HandoffPolicy, Signals, Triage
from graphs.routing.handoff_model import (
    NO_FAMILY,
    TRAINING_FILES,
    HandoffExamples,
    HandoffModel,
    HandoffScore,
    load_examples,
    message_parts,
)
from guards.embeddings import shared_encoder
from service.filter_records import route_record

from .conftest import prediction

CONFIDENT = prediction(confidence=0.95)


def route(policy: HandoffPolicy, text: str) -> tuple[str, tuple[str, ...]]:
    decision = policy.decide(text, CONFIDENT, Signals())
    return decision.route, decision.reasons


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("the app billed me four times and now I can't make rent on Friday", "financial_hardship"),
        ("I've lost my job, I can't pay the broadband this month", "financial_hardship"),
        (
            "the courier said he'd come back and sort me out, I'm scared to open the door",
            "safety_risk",
        ),
        (
            "my orders page lists some other man's purchases and his home address",
            "privacy_incident",
        ),
        (
            "I'm speaking to a reporter at the Guardian about how you treat customers",
            "legal_threat",
        ),
        ("I've told my credit card company to claw back the payment", "chargeback_dispute"),
        ("I want to lodge a formal complaint about your branch staff", "formal_complaint"),
        ("my camera shows your delivery man walking off with my parcel", "staff_theft"),
        ("the engineer you sent keeps sending me flirty texts", "harassment"),
        ("I'm blind and my screen reader can't get past your login page", "accessibility_need"),
        ("the trainers came with a pouch of white powder in the toe, cocaine?", "illegal_item"),
        ("my father died on Sunday and I need to stop his contract", "bereavement"),
        ("escalate", "explicit_human_request"),
        # sixth pass (blind set v4's families): declining a person or denying a matter does
        # not hide one raised beside it; callbacks, exceptions, threats at home, no money
        ("nobody needs to call me, but there are payments on my card I never made",
         "fraud_or_account_takeover"),
        ("nothing dodgy at first, but now there are charges I didn't make",
         "fraud_or_account_takeover"),
        ("I need to speak to an agent now about my bill", "explicit_human_request"),
        ("would I be able to speak to someone about my bill?", "explicit_human_request"),
        ("I'd like a callback from one of your advisors", "explicit_human_request"),
        ("can I get a call back from a member of your team", "explicit_human_request"),
        ("the deal ended at midnight but could you apply it anyway?", "beyond_authority"),
        ("it's 20% off now, can you refund me the difference on Tuesday's order",
         "beyond_authority"),
        ("the warranty lapsed last month, please honour the repair just this once",
         "beyond_authority"),
        ("the buyer says he'll turn up at my flat unless I refund him", "safety_risk"),
        ("I've got nothing left for groceries this week after your double charge",
         "financial_hardship"),
    ],
)  # fmt: skip
def test_each_family_hands_off_with_its_reason(
    handoff_policy: HandoffPolicy, text: str, family: str
) -> None:
    routed, reasons = route(handoff_policy, text)
    assert routed == "handoff" and family in reasons, reasons


@pytest.mark.parametrize(
    "text",
    [
        "my earbuds have a dead battery after a week, can I swap them",
        "how do I kill my subscription before it renews",
        "my manager asked for the invoice for last month",
        "this is so annoying, the parcel is late again, when will it come",
        "these trainers are killing me, can I swap them for a bigger size",
        "what would happen if I ever filed a chargeback",
        "does your hotel have rooms for wheelchair users",
        "my mum's birthday is next week, can I add a gift note",
        "where is my order",
        # sixth pass: whether a person would be needed, a matter denied in passing, an
        # exception asked about rather than for, a visit booked, an everyday phrase
        "if the part is faulty, would I have to speak to an agent?",
        "will I need to contact someone, or can I do it online?",
        "who would I ring if the engineer doesn't show?",
        "no hacking or anything, I just forgot my password",
        "does the deal still apply to orders placed today?",
        "do you refund the difference if the price drops after I buy?",
        "can the engineer come to my house on Monday if that slot is free?",
        "that was all my questions, thanks",
    ],
)
def test_look_alikes_stay_with_the_assistant(handoff_policy: HandoffPolicy, text: str) -> None:
    assert route(handoff_policy, text)[0] == "assistant"


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (
            "I'm a hospice nurse on nights and you've emptied my account with three debits",
            "financial_hardship",
        ),
        (
            "my grandad passed away in hospital yesterday and his phone plan is still billing",
            "bereavement",
        ),
        ("I've reported your charge to my card issuer as a dispute", "chargeback_dispute"),
        ("I have MS and can't manage stairs, the courier refuses to come up", "accessibility_need"),
    ],
)
def test_families_in_wordings_of_other_industries(
    handoff_policy: HandoffPolicy, text: str, family: str
) -> None:
    routed, reasons = route(handoff_policy, text)
    assert routed == "handoff" and family in reasons, reasons


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (
            "the nursery app showed me another family's child photos and pickup codes",
            "privacy_incident",
        ),
        ("the dehumidifier you sold me is melting and the socket is black", "safety_risk"),
    ],
)
def test_readings_below_the_threshold_still_name_the_family(text: str, family: str) -> None:
    """Known misses (they stay with the bot at 0.85): the model is unsure, not wrong."""
    reading = HandoffModel.load().score(text)
    assert reading.family == family and reading.probability > 0.5


@pytest.mark.parametrize(
    "text",
    [
        "what delivery options do you have for a fridge freezer",
        "I've moved flat, can you change my delivery address",
        "can I get an invoice with my company's VAT number",
        "please update my personal details",
        "can I pay the invoice by bank transfer",
        "the tracking page hasn't changed since Monday",
        "the smoke alarm's low battery chirp won't stop, which battery does it take",
    ],
)
def test_ordinary_requests_stay_with_the_assistant(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert route(handoff_policy, text)[0] == "assistant"


@pytest.mark.parametrize(
    "text",
    [
        "Transfer me. Now.",
        "escalate to tier 2 please",
        "can you escalate this up to management",
    ],
)
def test_short_escalations_hand_off(handoff_policy: HandoffPolicy, text: str) -> None:
    assert route(handoff_policy, text) == ("handoff", ("explicit_human_request",))


def test_every_training_file_is_learnt_from() -> None:
    examples = load_examples()
    assert len(TRAINING_FILES) >= 2
    assert "I've raised a chargeback with my bank" in examples.texts
    assert "please update my personal info" in examples.texts
    assert len(examples.texts) == len(examples.families)
    assert {NO_FAMILY, "staff_theft", "bereavement"} <= set(examples.families)


def test_declining_a_person_is_not_a_request_for_one(handoff_policy: HandoffPolicy) -> None:
    text = "I don't need a human, just tell me the delivery options"
    assert route(handoff_policy, text) == ("assistant", ("human_declined",))


@pytest.mark.parametrize(
    "text",
    [
        "no need to transfer me, what's the returns address",
        "please don't escalate this, I only want the tracking link",
        "I don't want to talk to an agent, can you change my address",
        "you don't have to get a supervisor, I only want the returns label",
    ],
)
def test_declined_person_in_other_words(handoff_policy: HandoffPolicy, text: str) -> None:
    assert route(handoff_policy, text)[0] == "assistant"


def test_declining_a_person_does_not_hide_a_serious_matter(
    handoff_policy: HandoffPolicy,
) -> None:
    routed, reasons = route(handoff_policy, "I don't need a human, but someone hacked my account")
    assert (routed, reasons) == ("handoff", ("fraud_or_account_takeover",))


@pytest.mark.parametrize("text", ["escalate", "Escalate this please", "I want this escalated"])
def test_the_bare_word_escalate_hands_off(triage: Triage, text: str) -> None:
    record = route_record(triage, {"text": text})
    assert record["route"] == "handoff"
    assert record["reasons"] == ["explicit_human_request"]


def test_route_record_keeps_the_models_reason(triage: Triage) -> None:
    record = route_record(
        triage, {"text": "my wife passed away and the account is in her name, what do I do"}
    )
    assert record["route"] == "handoff" and record["reasons"] == ["bereavement"]
    assert set(record) == {"route", "intent", "category", "confidence", "reasons"}


def test_a_serious_sentence_is_not_diluted_by_the_rest() -> None:
    text = "Order 5521 is late. Also the driver grabbed my arm when I signed. Can you check?"
    assert "Also the driver grabbed my arm when I signed." in message_parts(text)


def test_training_is_deterministic() -> None:
    examples = HandoffExamples(
        ["my husband died", "where is my order", "the invoice please", "rent is due, no money"],
        ["bereavement", "none", "none", "financial_hardship"],
    )
    first = HandoffModel.train(examples, shared_encoder()).score("my mother passed away")
    second = HandoffModel.train(examples, shared_encoder()).score("my mother passed away")
    assert first == second and first.family == "bereavement"


def test_asking_whether_the_assistant_is_a_person_is_not_a_request_for_one(
    handoff_policy: HandoffPolicy,
) -> None:
    routed, reasons = route(handoff_policy, "are you a real person?")
    assert (routed, reasons) == ("assistant", ("asked_about_assistant",))


def test_asking_about_the_assistant_does_not_hide_a_request_for_a_person(
    handoff_policy: HandoffPolicy,
) -> None:
    routed, reasons = route(handoff_policy, "are you a bot? I want to talk to a real person")
    assert routed == "handoff" and "explicit_human_request" in reasons


def test_a_customer_who_is_a_lawyer_is_not_threatening_legal_action(
    handoff_policy: HandoffPolicy,
) -> None:
    routed, reasons = route(handoff_policy, "I'm a solicitor, can I order business cards in bulk")
    assert routed == "assistant", reasons


@pytest.mark.parametrize(
    "text",
    [
        "I've gone through every step you listed three times and it still won't connect",
        "you're giving me the same useless answer again and again",
    ],
)
def test_the_bot_failing_the_customer_again_hands_off(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    routed, reasons = route(handoff_policy, text)
    assert routed == "handoff", reasons


@pytest.mark.parametrize(
    "text",
    [
        "don't bother getting a person, where do I change my email",
        "skip the human, what's the returns address",
        "no live agent needed, just the opening hours",
        "I don't want to wait for an agent, tell me here",
        "you don't need to escalate this, I only want the invoice",
    ],
)
def test_declining_a_person_in_passing(handoff_policy: HandoffPolicy, text: str) -> None:
    assert route(handoff_policy, text)[0] == "assistant"


@pytest.mark.parametrize(
    "text",
    [
        "the photo ID check rejects my documents every time and my account is frozen",
        "cancel the exit fee on my phone contract as a goodwill gesture",
        "my grandad has dementia and signed up for three plans he doesn't need",
    ],
)
def test_families_of_the_fourth_pass_hand_off(handoff_policy: HandoffPolicy, text: str) -> None:
    """Which family is named may vary between neighbours (dementia: a vulnerable customer,
    or an accessibility need); that a person takes it may not."""
    routed, reasons = route(handoff_policy, text)
    assert routed == "handoff", reasons


@pytest.mark.parametrize(
    "text",
    ["how do I ask for a refund", "what ID do you accept when I sign up", "thanks, all done 👍"],
)
def test_questions_about_those_families_stay_with_the_assistant(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert route(handoff_policy, text)[0] == "assistant"


def test_a_bot_repeating_itself_hands_the_next_message_to_a_person(triage: Triage) -> None:
    record = route_record(
        triage,
        {
            "messages": [
                {"role": "user", "content": "my washing machine still leaks"},
                {"role": "assistant", "content": "Please check the door seal is clean."},
                {"role": "user", "content": "it is clean"},
                {"role": "assistant", "content": "Please check that the door seal is clean."},
                {"role": "user", "content": "ok"},
            ]
        },
    )
    assert record["route"] == "handoff"
    assert "assistant_going_in_circles" in record["reasons"]


def test_two_replies_not_understanding_count_as_going_in_circles(
    handoff_policy: HandoffPolicy,
) -> None:
    replies = ["Sorry, I didn't understand that.", "Could you rephrase your question?"]
    assert handoff_policy.assistant_repeated(replies)
    assert not handoff_policy.assistant_repeated(["Sorry, I didn't understand that."])


def test_thanks_after_a_repeated_reply_stays_with_the_assistant(
    handoff_policy: HandoffPolicy,
) -> None:
    decision = handoff_policy.decide(
        "thanks, that worked", CONFIDENT, Signals(assistant_repeated=True)
    )
    assert decision.route == "assistant"


def test_a_supposition_is_not_a_report(handoff_policy: HandoffPolicy) -> None:
    text = "what if a stranger got into my account without permission, am I covered?"
    assert route(handoff_policy, text) == ("assistant", ("hypothetical",))
    reported = "what if it happens again? someone used my card without permission yesterday"
    assert route(handoff_policy, reported)[0] == "handoff"


# --- fifth pass: rule families for what must be certain, and asides that are not requests ---


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (
            "could you scrap the admin charge this once, I've been a customer for years",
            "beyond_authority",
        ),
        (
            "please make an exception, the parcel only reached me after the window closed",
            "beyond_authority",
        ),
        (
            "the same kettle is cheaper at another store, can you match their price",
            "beyond_authority",
        ),
        (
            "I'd like to end my broadband contract early without paying the exit fee",
            "beyond_authority",
        ),
        ("we're a small charity and can't afford this quarter's invoice", "financial_hardship"),
        (
            "I write for a local paper and would like a statement from your company",
            "press_or_regulator",
        ),
        ("I'll be complaining to the energy ombudsman if this isn't fixed", "press_or_regulator"),
        ("my aunt has Alzheimer's and keeps ordering the same blender", "vulnerable_customer"),
        ("I need my statements in Braille, I lost my sight last year", "accessibility_need"),
        ("I'm the executor for my uncle and need his account closed", "bereavement"),
        ("my late husband's phone contract is still being charged", "bereavement"),
    ],
)
def test_fifth_pass_families_hand_off_by_rule(
    handoff_policy: HandoffPolicy, text: str, family: str
) -> None:
    routed, reasons = route(handoff_policy, text)
    assert routed == "handoff" and family in reasons, reasons


@pytest.mark.parametrize(
    "text",
    [
        "Chciałbym porozmawiać z konsultantem",  # Polish
        "Mag ik iemand van jullie spreken?",  # Dutch, the person before the verb
        "Jag vill prata med en människa",  # Swedish
        "Соедините меня с оператором",  # Russian
        "请帮我转人工",  # Chinese
        "オペレーターと話したい",  # Japanese
        "is there really no one who can help me with this?",
        "I've waited a week for this. escalate",
    ],
)
def test_requests_for_a_person_in_more_languages_and_shapes(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    routed, reasons = route(handoff_policy, text)
    assert routed == "handoff" and "explicit_human_request" in reasons, reasons


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        (
            "I'd prefer to fix it here than queue for an agent, how do I update my card",
            "human_declined",
        ),
        ("rather not be transferred, can you just resend the receipt", "human_declined"),
        ("no callback needed, what time do you close", "human_declined"),
        ("ok let's just do it in the chat, what's my balance", "human_declined"),
        (
            "my brother had to talk to a manager about his bill, mine's fine, when is it due",
            "reported_not_requested",
        ),
        (
            "an advisor already helped me yesterday, I just need the reference again",
            "reported_not_requested",
        ),
        ("I'm not threatening to sue, I only want to know when the refund lands", "negated"),
        ("this is not urgent, when does my plan renew", "negated"),
        (
            "how would I reach someone if I ever needed to, asking for future reference",
            "hypothetical",
        ),
        ("do you have real staff or only the bot?", "asked_about_assistant"),
    ],
)
def test_asides_that_are_not_requests_stay_with_the_assistant(
    handoff_policy: HandoffPolicy, text: str, aside: str
) -> None:
    routed, reasons = route(handoff_policy, text)
    assert routed == "assistant" and aside in reasons, reasons


@pytest.mark.parametrize(
    "text",
    [
        "the ticket machine swallowed my card, how do I get a new one",
        "the exploded view in the manual doesn't show where screw B goes",
        "do you price match?",
        "how much is the early termination fee?",
        "is there a bereavement policy I can read?",
        "do you offer large print bills?",
        "I'm a journalist, can I order a gift card for my editor",
        "I lost my job title field when I edited my profile",
    ],
)
def test_fifth_pass_look_alikes_stay_with_the_assistant(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert route(handoff_policy, text)[0] == "assistant"


def test_denying_one_threat_does_not_hide_another(handoff_policy: HandoffPolicy) -> None:
    text = "I'm not going to sue, but someone logged into my account without permission"
    assert route(handoff_policy, text)[0] == "handoff"


def _conversation(*turns: str) -> dict[str, list[dict[str, str]]]:
    roles = ("user", "assistant")
    return {"messages": [{"role": roles[i % 2], "content": t} for i, t in enumerate(turns)]}


def test_a_request_for_a_person_taken_back_stays_with_the_assistant(triage: Triage) -> None:
    record = _conversation(
        "put me through to an advisor please",
        "Of course. While I arrange that, is there anything quick I can help with?",
        "oh forget it, I found the form myself",
    )
    assert route_record(triage, record)["route"] == "assistant"


def test_a_request_followed_by_its_reason_still_hands_off(triage: Triage) -> None:
    record = _conversation(
        "I want to speak to a manager",
        "Sure. Could you tell me briefly what it's about so I pass it to the right team?",
        "my refund from March still hasn't arrived",
    )
    assert route_record(triage, record)["route"] == "handoff"


def test_a_serious_matter_is_not_taken_back(triage: Triage) -> None:
    record = _conversation(
        "someone logged into my account and changed my email",
        "I'm sorry. I'll pass this to our security team.",
        "never mind, I'll just make a new account",
    )
    assert route_record(triage, record)["route"] == "handoff"


def test_ok_with_a_new_question_does_not_accept_an_offered_person(triage: Triage) -> None:
    record = _conversation(
        "are you a bot?",
        "I'm a virtual assistant, and I can connect you to a person whenever you like.",
        "ok sure. what's the weight limit for hand luggage",
    )
    assert route_record(triage, record)["route"] == "assistant"


def test_the_bot_failing_still_hands_off_with_a_word_of_it(handoff_policy: HandoffPolicy) -> None:
    text = "that's the third time you've sent me the same link, it doesn't work"
    assert route(handoff_policy, text)[0] == "handoff"


# --- sixth pass: the families blind set v4 misrouted, in both directions ---


@pytest.mark.parametrize(
    "text",
    [
        "no operator please, I can find the invoices page myself",
        "nobody has to phone me, what's the returns address",
        "no need for anyone to get back to me, just tell me the fee",
        "I'd rather not ring anyone, how do I change my PIN",
        "I'll work it out on my own, where is the size guide",
    ],
)
def test_declining_a_person_in_the_sixth_pass_words(
    handoff_policy: HandoffPolicy, text: str
) -> None:
    assert route(handoff_policy, text) == ("assistant", ("human_declined",))


@pytest.mark.parametrize(
    "text",
    [
        "can I add agent logins for my shop staff?",
        "how many operator seats come with the business plan",
        "my network operator blocks your texts, can you email the code instead",
    ],
)
def test_agents_and_operators_as_a_product_stay_with_the_assistant(
    triage: Triage, text: str
) -> None:
    assert route_record(triage, {"text": text})["route"] == "assistant"


class _ReadsBotFailure:
    """A stand-in handoff model that reads every message as the bot failing the customer."""

    def score(self, text: str) -> HandoffScore:
        return HandoffScore("bot_failure", 0.95)


@pytest.fixture(scope="module")
def policy_reading_bot_failure(handoff_policy: HandoffPolicy) -> HandoffPolicy:
    encoder = shared_encoder()
    return HandoffPolicy(handoff_policy.config, encoder, _ReadsBotFailure())  # type: ignore[arg-type]


def test_a_dig_at_the_bot_beside_a_question_is_answered_with_a_person_offered(
    policy_reading_bot_failure: HandoffPolicy,
) -> None:
    text = "robots, honestly, took ages. how long does express delivery take?"
    decision = policy_reading_bot_failure.decide(text, CONFIDENT, Signals())
    assert decision.route == "assistant" and decision.offer_human
    assert decision.reasons == ("bot_criticised_beside_a_question",)


def test_the_bot_failing_without_a_question_still_hands_off(
    policy_reading_bot_failure: HandoffPolicy,
) -> None:
    text = "you've sent me the same useless link three times now"
    decision = policy_reading_bot_failure.decide(text, CONFIDENT, Signals())
    assert (decision.route, decision.reasons) == ("handoff", ("bot_failure",))


def test_a_dig_after_the_bot_repeated_itself_hands_off(
    policy_reading_bot_failure: HandoffPolicy,
) -> None:
    text = "are you even reading what I write?"
    decision = policy_reading_bot_failure.decide(text, CONFIDENT, Signals(assistant_repeated=True))
    assert decision.route == "handoff"
