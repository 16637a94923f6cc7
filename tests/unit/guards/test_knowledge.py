"""The knowledge base: retrieval over the sample entries, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.embeddings import shared_encoder
from guards.knowledge import (
    KnowledgeBase,
    KnowledgeError,
    answering_match,
    likely_match,
    message_parts,
    read_entries,
)
from tests.conftest import MODEL_CACHE


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return KnowledgeBase.load(None, shared_encoder(MODEL_CACHE))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how long until my money is back after a return", "5 to 10 business days"),
        ("do u take paypal", "PayPal"),
        ("when are you open", "9:00"),
    ],
)
def test_a_policy_question_finds_the_entry_that_answers_it(
    knowledge: KnowledgeBase, question: str, expected: str
) -> None:
    assert expected in knowledge.search(question)[0].entry.answer


def test_every_sample_fact_is_offered_for_grounding(knowledge: KnowledgeBase) -> None:
    assert any("30 days" in fact for fact in knowledge.facts())


def test_an_entry_without_an_answer_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text("entries:\n  - id: returns\n    questions: [how do I return]\n")
    with pytest.raises(KnowledgeError, match=r"entries\.0\.answer"):
        read_entries(path)


def test_an_empty_knowledge_base_finds_nothing() -> None:
    assert KnowledgeBase([], shared_encoder(MODEL_CACHE)).search("refund") == []


def test_a_question_after_a_long_story_finds_its_policy(knowledge: KnowledgeBase) -> None:
    message = (
        "We moved house last month and the delivery went to the new flat without a problem, "
        "the courier was lovely. My husband tried the jacket on and it's not for him. "
        "Is there a deadline to send it back?"
    )  # as a whole, it is closest to the price-match policy
    answering = answering_match(knowledge.search(message))
    assert answering is not None and "30 days" in answering.entry.answer


def test_a_message_of_several_sentences_is_matched_by_its_questions() -> None:
    story = "Hi. The coat came today, can I send it back?"
    assert message_parts(story) == [story, "can I send it back?"]
    assert message_parts("can I send it back") == ["can I send it back"]
    plain = "The coat came today. It is too big for me."
    assert message_parts(plain) == [plain, "The coat came today.", "It is too big for me."]


def test_asking_when_an_order_arrives_is_not_answered_with_the_return_window(
    knowledge: KnowledgeBase,
) -> None:
    answering = answering_match(knowledge.search("I need to check how soon I can expect my item"))
    assert answering is not None and "business days" in answering.entry.answer


def test_a_policy_that_likely_answers_is_found_only_when_none_clearly_does(
    knowledge: KnowledgeBase,
) -> None:
    matches = knowledge.search("I only have an AmEx, will that work at checkout?")
    likely = likely_match(matches)
    assert answering_match(matches) is None
    assert likely is not None and "American Express" in likely.entry.answer
    assert likely_match(knowledge.search("how long do refunds take")) is None  # clearly answered
    assert likely_match(knowledge.search("I love your new autumn jackets")) is None


def test_steps_that_only_loosely_match_are_not_a_likely_answer(knowledge: KnowledgeBase) -> None:
    matches = knowledge.search("I want to move to my other profile")
    assert matches[0].entry.id == "account-deletion" and not matches[0].entry.leads
    assert answering_match(matches) is None and likely_match(matches) is None


def test_a_relevant_policy_is_a_likely_answer_even_close_to_another_entry(
    knowledge: KnowledgeBase,
) -> None:
    matches = knowledge.search(
        "the shop got my return last week and I'm still waiting for the money"
    )
    likely = likely_match(matches)
    assert matches[0].score - matches[1].score < 0.05  # a close second: not a clear answer
    assert likely is not None and likely.entry.id == "refunds"


def test_a_policy_without_figures_close_to_another_entry_is_not_a_likely_answer(
    knowledge: KnowledgeBase,
) -> None:
    matches = knowledge.search("I need to return some shoes I bought, they hurt my feet")
    assert matches[0].entry.id == "change-order" and matches[0].score >= 0.5
    assert likely_match(matches) is None


def test_a_short_follow_up_is_read_with_the_message_before_it(knowledge: KnowledgeBase) -> None:
    alone = knowledge.search("and how long does that take?")
    follow_up = knowledge.search("and how long does that take?", context="I want a refund")
    assert alone[0].entry.id != "refunds"
    assert follow_up[0].entry.id == "refunds"


def test_a_new_question_after_another_topic_keeps_its_own_answer(knowledge: KnowledgeBase) -> None:
    matches = knowledge.search("do you ship to Canada?", context="how long do refunds take?")
    assert matches[0].entry.id == "international-shipping"
