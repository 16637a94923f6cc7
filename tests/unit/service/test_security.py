from service.security import conversation_of, conversation_token, same_secret


def test_token_grants_its_own_conversation() -> None:
    token = conversation_token("c_1", "secret")
    assert conversation_of(token, "secret") == "c_1"


def test_token_cannot_be_edited_to_read_another_conversation() -> None:
    token = conversation_token("c_1", "secret")
    forged = "c_2." + token.split(".", 1)[1]
    assert conversation_of(forged, "secret") is None


def test_token_signed_with_another_key_is_refused() -> None:
    assert conversation_of(conversation_token("c_1", "other"), "secret") is None


def test_malformed_tokens_are_refused() -> None:
    for token in ("", ".", "c_1", "c_1.", ".abc"):
        assert conversation_of(token, "secret") is None


def test_static_tokens_compare_exactly() -> None:
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd")
