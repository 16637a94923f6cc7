"""Issue 14: the families Presidio's defaults find (and we missed) are redacted, look-alikes
are left alone, references survive, and every default finding is still made."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from guards.redaction import Entity, Redactor
from guards.redaction.addresses import extend_address
from guards.redaction.numbers import iban_valid, luhn_valid
from guards.redaction.redactor import parts_outside


def redacted(redactor: Redactor, text: str) -> str:
    return redactor.redact(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("my card 2297 2412 3423 9216 was declined", "2297 2412 3423 9216"),  # Mastercard 2-series
        ("card number 4223435548814706195 please", "4223435548814706195"),  # 19-digit Visa
        ("my credit card 639082715892 has been lost", "639082715892"),  # Maestro, 12 digits
        ("call me at (980)241-2068 tonight", "(980)241-2068"),
        ("my cell is 6422737191", "6422737191"),
        ("phone 709.361.7136x167 works", "709.361.7136x167"),
        ("stop sending messages to 9822 3749", "9822 3749"),
        ("my iban is de10090710774732188087 please", "de10090710774732188087"),
        ("I live at 12 Maple Creek, Springfield, IL 62704", "Springfield, IL 62704"),
        ("ship to PSC 9169, Box 8371\nAPO AE 80477", "PSC 9169, Box 8371\nAPO AE 80477"),
        ("908 Bodbysund 61\n Apt. 235\n SKELLEFTEÅ\n Sweden 92807", "SKELLEFTEÅ"),
        ("Leah: What a wife.\nLance: Remember me?", "Lance"),
        ("directed by Krisztián B Szöllösy", "Krisztián B Szöllösy"),
        ("please tell me your date of birth. It's 12/29/1944", "12/29/1944"),
        ("It's like that since 11/7/1940", "11/7/1940"),
    ],
)
def test_families_the_defaults_find_are_redacted(
    redactor: Redactor, text: str, secret: str
) -> None:
    assert secret not in redacted(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Do you ship to Canada?",
        "Is India covered by the international warranty?",
        "I live in Plauen and the pickup point closed.",
        "I clicked Download invoice but nothing happened.",
        "I clicked Edit address but nothing happened.",
        "Is the Galaxy S24 available in North Chloe?",
        "Capitalized words like Wisdom and Discipline are often mistaken with names.",
        "My parcel was delivered on 05/11/2025 at 10 AM.",
        "I need 2 iPhone 15 cases and 3 chargers.",
    ],
)
def test_text_without_personal_data_is_unchanged(redactor: Redactor, text: str) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("order 1234567890123, card 4111 1111 1111 1111", "1234567890123"),
        ("ticket TKT-55123 (+44 7700 900123)", "TKT-55123"),
        ("tracking 1Z999AA10123456784 to Anna Schmidt", "1Z999AA10123456784"),
        ("invoice INV-2024-0042, IBAN DE89 3704 0044 0532 0130 00", "INV-2024-0042"),
    ],
)
def test_references_are_kept_next_to_personal_data(
    redactor: Redactor, text: str, reference: str
) -> None:
    assert reference in redacted(redactor, text)


def test_a_reference_wins_only_where_it_overlaps() -> None:
    text = "call ORD-55555 now"
    finding = Entity("PHONE_NUMBER", 5, 18, 0.5)
    (rest,) = parts_outside(text, finding, [(5, 14)])
    assert text[rest.start : rest.end] == "now"


def test_luhn_and_iban_checksums() -> None:
    assert luhn_valid("2221000000000009") and not luhn_valid("2221000000000008")
    assert iban_valid("gb82 west 1234 5698 7654 32") and not iban_valid("GB82WEST12345698765433")


def test_address_extends_over_city_postcode_and_country() -> None:
    text = "908 Bodbysund 61\n Apt. 235\n SKELLEFTEÅ\n Sweden 92807 thanks"
    assert text[: extend_address(text, len("908 Bodbysund 61"))].endswith("Sweden 92807")


DEFAULT_COVERAGE = [
    "My card 4111 1111 1111 1111 and IBAN DE89 3704 0044 0532 0130 00",
    "Email jane.doe@example.co.uk or call +1 415-555-0132, SSN 078-05-1120",
    "Login from 203.0.113.45, my name is John Smith",
]


@pytest.fixture(scope="module")
def default_analyzer(redactor: Redactor) -> AnalyzerEngine:
    from service.evals.pii_baseline import default_analyzer

    return default_analyzer(redactor.config)


@pytest.mark.parametrize("text", DEFAULT_COVERAGE)
def test_every_default_pattern_finding_is_still_redacted(
    redactor: Redactor, default_analyzer: AnalyzerEngine, text: str
) -> None:
    """Cards, IBANs, e-mails, phones, SSNs, IPs. spaCy's PERSON guesses are vetted, not
    kept blindly: it calls the field label 'Email' a person."""
    ours = redactor.redact(text).entities
    types = set(redactor.config.entity_types) - {"PERSON"}
    theirs = [r for r in default_analyzer.analyze(text=text, language="en") if r.score >= 0.4]
    for result in (r for r in theirs if r.entity_type in types):
        assert any(e.overlaps(result.start, result.end) for e in ours), text[
            result.start : result.end
        ]
