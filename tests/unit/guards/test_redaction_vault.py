"""Placeholders are stable per conversation, restore exactly, and are sealed at rest."""

from __future__ import annotations

import pytest

from guards.redaction import PlaceholderVault, Redactor, VaultError, open_vault, seal_vault


def test_same_person_gets_same_placeholder_across_turns(redactor: Redactor) -> None:
    vault = PlaceholderVault()
    first = redactor.redact("Hi, my name is John Smith", vault)
    second = redactor.redact("It's John Smith again, and my wife Maria Lopez", vault)
    assert first.text == "Hi, my name is <PERSON_1>"
    assert "<PERSON_1> again" in second.text and "<PERSON_2>" in second.text


def test_placeholders_do_not_collide_with_slots() -> None:
    vault = PlaceholderVault()
    assert vault.placeholder_for("PERSON", "Ann Lee") == "<PERSON_1>"
    assert "{{" not in vault.placeholder_for("EMAIL_ADDRESS", "a@b.co")


def test_restore_is_exact_and_ignores_foreign_placeholders() -> None:
    vault = PlaceholderVault()
    name = vault.placeholder_for("PERSON", "Zoë O'Brien (.*)")
    reply = f"Thanks {name}! <PERSON_7> and {{{{Order Number}}}} stay as they are."
    assert (
        vault.restore(reply)
        == "Thanks Zoë O'Brien (.*)! <PERSON_7> and {{Order Number}} stay as they are."
    )


def test_typed_placeholder_is_never_issued_for_real_data(redactor: Redactor) -> None:
    vault = PlaceholderVault()
    redaction = redactor.redact("I typed <PERSON_1> but my name is Maria Lopez", vault)
    assert redaction.text == "I typed <PERSON_1> but my name is <PERSON_2>"
    assert vault.restore("<PERSON_1>") == "<PERSON_1>"


def test_conversations_never_share_a_mapping() -> None:
    mine, theirs = PlaceholderVault(), PlaceholderVault()
    mine.placeholder_for("PERSON", "Ann Lee")
    assert theirs.restore("<PERSON_1>") == "<PERSON_1>"
    assert theirs.values() == [] and len(mine) == 1


def test_values_are_the_customers_own_details() -> None:
    vault = PlaceholderVault()
    vault.placeholder_for("PHONE_NUMBER", "+44 7700 900123")
    assert vault.placeholder_for("PHONE_NUMBER", "+447700900123") == "<PHONE_NUMBER_1>"
    assert vault.values() == ["+44 7700 900123", "+447700900123"]
    assert vault.placeholders() == ["<PHONE_NUMBER_1>"]


def test_vault_round_trips_through_a_dict() -> None:
    vault = PlaceholderVault()
    vault.placeholder_for("PERSON", "Ann Lee")
    copy = PlaceholderVault.from_dict(vault.to_dict())
    assert copy.placeholder_for("PERSON", "Ann Lee") == "<PERSON_1>"
    assert copy.placeholder_for("PERSON", "Bo Chen") == "<PERSON_2>"


def test_sealed_vault_opens_with_the_right_key() -> None:
    vault = PlaceholderVault()
    vault.placeholder_for("EMAIL_ADDRESS", "ann@example.org")
    sealed = seal_vault(vault, "s3cret")
    assert b"ann@example.org" not in sealed
    assert open_vault(sealed, "s3cret").restore("<EMAIL_ADDRESS_1>") == "ann@example.org"


def test_vault_cannot_be_opened_with_wrong_key() -> None:
    sealed = seal_vault(PlaceholderVault(), "right key")
    with pytest.raises(VaultError):
        open_vault(sealed, "wrong key")


def test_tampered_vault_is_refused() -> None:
    sealed = bytearray(seal_vault(PlaceholderVault(), "key"))
    sealed[-5] ^= 1
    with pytest.raises(VaultError):
        open_vault(bytes(sealed), "key")
