"""Redaction finds customer-support personal data and keeps what the bot needs."""

from __future__ import annotations

import socket

import pytest

from guards.redaction import Redactor
from service.filter_records import redact_record
from service.filters import BadRecord


def redacted(redactor: Redactor, text: str) -> str:
    return redactor.redact(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Hi, my name is john smith and I need help", "john smith"),
        ("hello this is Nguyễn Thị Mai, I paid twice", "Nguyễn Thị Mai"),
        ("Thanks so much! Cheers, Oluwaseun Adeyemi", "Oluwaseun Adeyemi"),
        ("call me on +44 7700 900123 please", "+44 7700 900123"),
        ("my number is (415) 555-0132", "(415) 555-0132"),
        ("meine Nummer ist 0151 23456789", "0151 23456789"),
        ("card 4111 1111 1111 1111 got declined", "4111 1111 1111 1111"),
        ("refund to DE89 3704 0044 0532 0130 00 please", "DE89 3704 0044 0532 0130 00"),
        ("my SSN is 078-05-1120", "078-05-1120"),
        ("ship to 221B Baker Street, London NW1 6XE", "221B Baker Street"),
        ("send it to 1600 Pennsylvania Ave NW, Washington, DC 20500", "Washington, DC 20500"),
        ("Lieferadresse: Hauptstraße 5, 10115 Berlin", "Hauptstraße 5, 10115 Berlin"),
        ("login from 203.0.113.45 was not me", "203.0.113.45"),
        ("I was born on 12/03/1985", "12/03/1985"),
        ("DOB: 1985-03-12", "1985-03-12"),
        ("my password is hunter2", "hunter2"),
        ("pin: 4821 does not work", "4821"),
        ("config says pwd=Xk9!mQ2z", "Xk9!mQ2z"),
        ("account number 12345678, please close it", "12345678"),
    ],
)
def test_personal_data_is_redacted(redactor: Redactor, text: str, secret: str) -> None:
    assert secret not in redacted(redactor, text)


def test_lowercase_name_is_redacted(redactor: Redactor) -> None:
    result = redacted(redactor, "my name is john smith")
    assert result == "my name is <PERSON_1>"


@pytest.mark.parametrize(
    "reference", ["#ORD-88231", "1234567", "INV-2024-0042", "TKT-55123", "1Z999AA10123456784"]
)
def test_order_number_survives(redactor: Redactor, reference: str) -> None:
    text = f"Hi, this is Maria Garcia about order {reference}, call me on 020 7946 0958"
    assert reference in redacted(redactor, text)


def test_bitext_slot_placeholders_survive(redactor: Redactor) -> None:
    assert "{{Order Number}}" in redacted(redactor, "Is {{Order Number}} my order, John Smith?")


def test_ordinary_support_words_and_delivery_dates_are_kept(redactor: Redactor) -> None:
    text = "Hi, my iPhone 15 from Apple arrived March 3rd, yesterday, but the Premium Plan failed."
    assert redacted(redactor, text) == text


def test_redaction_reports_offsets_into_the_original(redactor: Redactor) -> None:
    text = "email me at jane.doe@example.co.uk today"
    (entity,) = redactor.redact(text).entities
    assert (entity.type, text[entity.start : entity.end]) == (
        "EMAIL_ADDRESS",
        "jane.doe@example.co.uk",
    )


def test_email_redaction_needs_no_network(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert redacted(redactor, "write to bob.jones@mail.com") == "write to <EMAIL_ADDRESS_1>"


def test_check_gives_counts_and_never_values(redactor: Redactor) -> None:
    verdict = redactor.check("I'm Priya Sharma, email priya@example.org, ring Priya Sharma")
    assert verdict.allowed and verdict.category == "pii"
    assert verdict.details == {"entities.EMAIL_ADDRESS": 1, "entities.PERSON": 2}
    assert "Priya" not in repr(verdict.details) + verdict.text


def test_check_without_personal_data_is_ok(redactor: Redactor) -> None:
    verdict = redactor.check("Where is my order ORD-12345?")
    assert (verdict.category, verdict.text) == ("ok", "Where is my order ORD-12345?")


def test_redact_raises_instead_of_returning_raw_text(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("analyzer down")

    monkeypatch.setattr(redactor._analyzer, "analyze", broken)
    with pytest.raises(RuntimeError):
        redactor.redact("my name is john smith")


def test_redact_record_gives_text_and_entities(redactor: Redactor) -> None:
    out = redact_record(redactor, {"text": "my password is hunter2"})
    assert out["text"] == "my password is <PASSWORD_1>"
    assert out["entities"] == [{"type": "PASSWORD", "start": 15, "end": 22, "score": 1.0}]


def test_redact_record_rejects_missing_text(redactor: Redactor) -> None:
    with pytest.raises(BadRecord):
        redact_record(redactor, {"message": "hi"})


def test_an_address_under_any_top_level_domain_is_redacted(redactor: Redactor) -> None:
    text = "send it to orders@fieldhouse.example, or jo.ng@mail.con if that bounces"
    out = redacted(redactor, text)
    assert "orders@fieldhouse.example" not in out and "jo.ng@mail.con" not in out


def test_the_companys_published_contacts_are_kept_and_nobody_elses(redactor: Redactor) -> None:
    keep = ("+1 555 0100", "support@acme-outfitters.example")
    text = (
        "I emailed support@acme-outfitters.example and called +1 555 0100; "
        "reply to dana.w@mailbox.org or +1 415 555 0132"
    )
    out = redactor.redact(text, keep=keep).text
    assert "support@acme-outfitters.example" in out and "+1 555 0100" in out
    assert "dana.w@mailbox.org" not in out and "+1 415 555 0132" not in out


@pytest.mark.parametrize(
    "text", ["What's the best way to reach your support team?", "yours is the best price I found"]
)
def test_best_and_yours_in_a_sentence_are_no_sign_off(redactor: Redactor, text: str) -> None:
    assert redacted(redactor, text) == text


def test_best_before_a_comma_still_signs_off_a_name(redactor: Redactor) -> None:
    assert "Maria Lopez" not in redacted(redactor, "Thanks for the help. Best, Maria Lopez")


def test_a_number_after_purchase_is_an_order_reference(redactor: Redactor) -> None:
    assert redacted(redactor, "cancel purchase 3707955617") == "cancel purchase 3707955617"
    text = "I made a purchase yesterday, call me on 3707955617"
    assert "3707955617" not in redacted(redactor, text)
