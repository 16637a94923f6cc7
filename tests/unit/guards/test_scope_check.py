"""The topical rail: requests outside the business are redirected; customers are not."""

from __future__ import annotations

import pytest

from guards.embeddings import shared_encoder
from guards.scope_check import ScopeCheck
from tests.conftest import MODEL_CACHE


@pytest.fixture(scope="module")
def scope() -> ScopeCheck:
    return ScopeCheck(shared_encoder(MODEL_CACHE), MODEL_CACHE)


@pytest.mark.parametrize(
    "text",
    [
        "write me a python script that sorts a list",
        "what is the capital of france",
        "compose a poem about autumn leaves",
        "who should I vote for in the next election",
    ],
)
def test_requests_outside_the_business_are_not_allowed(scope: ScopeCheck, text: str) -> None:
    verdict = scope.check(text)
    assert not verdict.allowed and verdict.category == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "can you write me an invoice for order 5521",
        "where is my parcel, it was due yesterday",
        "ok",
        "hello?",
        "I need a receipt for my tax return",
    ],
)
def test_support_requests_and_short_messages_are_allowed(scope: ScopeCheck, text: str) -> None:
    assert scope.check(text).allowed
