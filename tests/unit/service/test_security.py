"""Conversation tokens: each grants its own conversation until it expires, under any of the
accepted keys; nothing else passes."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from service.security import (
    ConversationTokens,
    TokenExpired,
    TokenInvalid,
    same_secret,
)

DAY = timedelta(days=1)


def tokens(*keys: str, ttl: timedelta = DAY) -> ConversationTokens:
    return ConversationTokens(list(keys), ttl)


def test_token_grants_its_own_conversation() -> None:
    issued = tokens("secret").issue("c_1")
    assert tokens("secret").conversation_of(issued) == "c_1"


def test_token_cannot_be_edited_to_read_another_conversation() -> None:
    issued = tokens("secret").issue("c_1")
    header, _, signature = issued.split(".")
    other_claims = tokens("secret").issue("c_2").split(".")[1]
    with pytest.raises(TokenInvalid):
        tokens("secret").conversation_of(f"{header}.{other_claims}.{signature}")


def test_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(TokenInvalid):
        tokens("secret").conversation_of(tokens("other").issue("c_1"))


def test_expired_token_is_refused_as_expired() -> None:
    issued = tokens("secret", ttl=timedelta(seconds=-1)).issue("c_1")
    with pytest.raises(TokenExpired):
        tokens("secret").conversation_of(issued)


def test_rotated_key_still_accepts_tokens_of_the_previous_one() -> None:
    before_rotation = tokens("old").issue("c_1")
    after_rotation = tokens("new", "old")
    assert after_rotation.conversation_of(before_rotation) == "c_1"
    assert tokens("new").conversation_of(after_rotation.issue("c_2")) == "c_2", "signs with new"


def test_a_key_dropped_from_the_list_is_no_longer_accepted() -> None:
    with pytest.raises(TokenInvalid):
        tokens("new").conversation_of(tokens("old").issue("c_1"))


def test_a_jwt_for_another_audience_or_algorithm_is_refused() -> None:
    key = tokens("secret").signing_key
    kid = jwt.get_unverified_header(tokens("secret").issue("c_1"))["kid"]
    claims = {"sub": "c_1", "exp": 4_000_000_000}
    other_audience = jwt.encode({**claims, "aud": "agent"}, key, headers={"kid": kid})
    unsigned = jwt.encode({**claims, "aud": "guardchat:conversation"}, None, algorithm="none")
    for token in (other_audience, unsigned):
        with pytest.raises(TokenInvalid):
            tokens("secret").conversation_of(token)


@pytest.mark.parametrize("token", ["", ".", "c_1", "c_1.abc", "a.b.c", "dev-agent-token"])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(TokenInvalid):
        tokens("secret").conversation_of(token)


def test_static_tokens_compare_exactly() -> None:
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd")
