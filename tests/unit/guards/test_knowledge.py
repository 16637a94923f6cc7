"""The knowledge base: retrieval over the sample entries, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.embeddings import shared_encoder
from guards.knowledge import KnowledgeBase, KnowledgeError, read_entries
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
