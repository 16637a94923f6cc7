"""Build the held-out PII sets the way the field does (issue 14), offline and seeded.

    python data/eval/make_pii_presidio_set.py   # writes pii_presidio_{dev,test}.jsonl here

Three sources, each split by template (a template's sentences are all in one half):
- presidio-evaluator's own templates and fake-data providers (its HospitalProvider is left
  out: it queries the network);
- customer-support messages with personal data next to order/invoice/ticket/tracking
  references, which must survive (the ``protected`` list);
- customer-support messages without personal data: countries, cities, product names, UI
  labels ("Download invoice"). Redaction should leave them unchanged.

A fourth, small set is written by hand for tuning: ``pii_support_extra.txt`` (brands,
products, places and menu labels that must stay, plus names, phones, IBANs and addresses
written the way customers write them), turned into ``pii_support_extra.jsonl``.

Labels use our types; presidio-evaluator spans that are not personal data here (countries,
organisations, plain dates, ages, titles) are not labelled, and sentences carrying a type we
do not redact (driver's licences, URLs) are left out. Tune on ``pii_presidio_dev.jsonl``;
``pii_presidio_test.jsonl`` is for reporting only.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from faker import Faker
from faker.providers import BaseProvider
from make_pii_set import load_lines, parse_handwritten
from presidio_evaluator.data_generator import PresidioSentenceFaker
from presidio_evaluator.data_generator.faker_extensions import (
    AddressProviderNew,
    AgeProvider,
    IpAddressProvider,
    NationalityProvider,
    OrganizationProvider,
    PhoneNumberProviderNew,
    ReligionProvider,
    UsDriverLicenseProvider,
)
from presidio_evaluator.data_generator.presidio_sentence_faker import (
    presidio_templates_file_path,
)

HERE = Path(__file__).parent
SEED = 1414
PRESIDIO_SAMPLES = 3000
SUPPORT_SAMPLES = 700
CLEAN_SAMPLES = 400
TEST_SHARE = 4
SPLIT_SALT = "4"
"""Templates whose salted checksum modulo 10 is below TEST_SHARE go to the test half (about
40%); the salt was picked so that every type has templates in both halves."""

OUR_TYPES = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "STREET_ADDRESS": "STREET_ADDRESS",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "US_SSN",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
}
SKIPPED_TYPES = {"US_DRIVER_LICENSE", "DOMAIN_NAME", "HOSPITAL"}
"""Personal or identifying data outside our types: such sentences are left out."""

Record = dict[str, Any]


def is_test_template(template: str) -> bool:
    return zlib.crc32((SPLIT_SALT + template).encode("utf-8")) % 10 < TEST_SHARE


class FixedDatesProvider(BaseProvider):
    """Dates drawn from fixed ranges, not relative to today: the same files on any day."""

    def date_time(self, *args: object, **kwargs: object) -> datetime:
        return self.generator.date_time_between(datetime(1990, 1, 1), datetime(2025, 12, 31))

    def date_of_birth(self, *args: object, **kwargs: object) -> date:
        return self.generator.date_between(date(1935, 1, 1), date(2007, 12, 31))


# --- presidio-evaluator's templates ------------------------------------------------------


def presidio_templates() -> list[str]:
    """The shipped templates, their written "\\n" made real line breaks, none needing
    the network (hospital names)."""
    lines = presidio_templates_file_path.read_text(encoding="utf-8").splitlines()
    templates = [line.strip().replace("\\n", "\n") for line in lines if line.strip()]
    return [t for t in templates if "hospital" not in t.lower()]


def presidio_records(templates: list[str]) -> list[Record]:
    """Labelled sentences from presidio-evaluator's sentence faker."""
    faker = PresidioSentenceFaker(
        "en_US",
        lower_case_ratio=0.05,
        sentence_templates=templates,
        entity_providers=[
            *(IpAddressProvider, NationalityProvider, OrganizationProvider),
            *(UsDriverLicenseProvider, AgeProvider, AddressProviderNew),
            *(PhoneNumberProviderNew, ReligionProvider, FixedDatesProvider),
        ],
        entity_type_mapping={
            **PresidioSentenceFaker.ENTITY_TYPE_MAPPING,
            "date_of_birth": "DATE_OF_BIRTH",
            "birthday": "DATE_OF_BIRTH",
            "url": "DOMAIN_NAME",
        },
        random_seed=SEED,
    )
    records = []
    for sample in faker.generate_new_fake_sentences(PRESIDIO_SAMPLES):
        spans = [(s.entity_type, s.start_position, s.end_position) for s in sample.spans]
        if any(kind in SKIPPED_TYPES for kind, _, _ in spans):
            continue
        entities = [
            {"type": OUR_TYPES[kind], "start": start, "end": end}
            for kind, start, end in sorted(spans, key=lambda s: s[1])
            if kind in OUR_TYPES
        ]
        template = templates[sample.template_id]
        records.append(record(sample.full_text, entities, [], template, "presidio"))
    return records


def record(
    text: str, entities: list[Record], protected: list[str], template: str, source: str
) -> Record:
    return {
        "text": text,
        "entities": entities,
        "protected": protected,
        "source": source,
        "_test": is_test_template(template),
    }


# --- customer-support messages -------------------------------------------------------------

FAKERS = {locale: Faker(locale) for locale in ("en_US", "en_GB", "de_DE", "fr_FR", "en_CA")}


def _fake(locale: str = "en_US") -> Faker:
    return FAKERS[locale]


def _person() -> str:
    name = _fake(random.choice(list(FAKERS))).name()
    return name.lower() if random.random() < 0.15 else name


def _first_name() -> str:
    return _fake(random.choice(list(FAKERS))).first_name()


def _address() -> str:
    locale = random.choice(["en_US", "en_US", "en_GB", "de_DE", "fr_FR", "en_CA"])
    return _fake(locale).address().replace("\n", ", ")


def _phone() -> str:
    return _fake(random.choice(["en_US", "en_US", "en_GB", "en_CA"])).phone_number()


def _iban() -> str:
    iban = _fake(random.choice(["de_DE", "fr_FR", "en_GB"])).iban()
    return iban.lower() if random.random() < 0.2 else iban


def _card() -> str:
    return _fake().credit_card_number(random.choice(["visa", "mastercard", "amex", "discover"]))


def _birth_date() -> str:
    day = _fake().date_between(date(1935, 1, 1), date(2007, 12, 31))
    return day.strftime(random.choice(["%m/%d/%Y", "%B %d, %Y", "%d %B %Y", "%Y-%m-%d"]))


SLOTS: dict[str, Callable[[], str]] = {
    "PERSON": _person,
    "FIRST_NAME": _first_name,
    "EMAIL_ADDRESS": lambda: _fake().email(),
    "PHONE_NUMBER": _phone,
    "CREDIT_CARD": _card,
    "IBAN_CODE": _iban,
    "STREET_ADDRESS": _address,
    "IP_ADDRESS": lambda: _fake().ipv4_public(),
    "US_SSN": lambda: _fake().ssn(),
    "DATE_OF_BIRTH": _birth_date,
}
SLOT_TYPES = {"FIRST_NAME": "PERSON"}

REFERENCES: dict[str, Callable[[], str]] = {
    "ORDER": lambda: f"ORD-{random.randint(10000, 999999)}",
    "ORDER_NUMBER": lambda: str(random.randint(1000000, 99999999)),
    "INVOICE": lambda: f"INV-{random.randint(2019, 2026)}-{random.randint(1, 9999):04d}",
    "TICKET": lambda: f"TKT-{random.randint(10000, 99999)}",
    "TRACKING": lambda: "1Z" + "".join(random.choices("0123456789ABCDEFGHJKLMNPRTVWXY", k=16)),
}

CLEAN_VALUES: dict[str, Callable[[], str]] = {
    "COUNTRY": lambda: _fake().country(),
    "CITY": lambda: _fake(random.choice(list(FAKERS))).city(),
    "PRODUCT": lambda: random.choice(PRODUCTS),
    "LABEL": lambda: random.choice(UI_LABELS),
    "COMPANY": lambda: _fake().company(),
    "WEEKDAY": lambda: _fake().day_of_week(),
}

PRODUCTS = [
    "iPhone 15 Pro", "Galaxy S24", "Kindle Paperwhite", "AirPods Max", "Dyson V15",
    "Nintendo Switch", "Surface Laptop 5", "Pixel 8", "Instant Pot Duo", "Roomba j7",
    "Echo Dot", "Premium Plan", "Family Plan", "Gift Card", "Jordan 1 Mid", "Nike Air Max",
    "Sony WH-1000XM5", "MacBook Air", "Fire TV Stick", "Canon EOS R6", "Lego Millennium Falcon",
    "Vitamix 5200", "Chromebook Plus", "Apple Watch Series 9", "Bose QuietComfort",
]  # fmt: skip
UI_LABELS = [
    "Download invoice", "Track package", "Cancel order", "Return items", "Edit address",
    "Save changes", "Add to cart", "Proceed to checkout", "Forgot password", "Sign in",
    "Update payment method", "Manage subscription", "Contact us", "My account", "Order history",
    "Apply coupon", "Print label", "Request refund", "Change plan", "Delete account",
]  # fmt: skip

SLOT = re.compile(r"\{([A-Z_]+)\}")


def fill(template: str) -> tuple[str, list[Record], list[str]]:
    """The template with every slot filled; labelled spans and the references in it."""
    pieces, entities, protected, cursor, length = [], [], [], 0, 0
    for match in SLOT.finditer(template):
        before = template[cursor : match.start()]
        value, kind = slot_value(match.group(1))
        pieces += [before, value]
        length += len(before)
        if kind in OUR_TYPES:
            entities.append({"type": kind, "start": length, "end": length + len(value)})
        elif kind == "REFERENCE":
            protected.append(value)
        length += len(value)
        cursor = match.end()
    pieces.append(template[cursor:])
    return "".join(pieces), entities, protected


def slot_value(slot: str) -> tuple[str, str]:
    """A value for a slot and what it is: one of our types, REFERENCE or CLEAN."""
    if slot in SLOTS:
        return SLOTS[slot](), SLOT_TYPES.get(slot, slot)
    if slot in REFERENCES:
        return REFERENCES[slot](), "REFERENCE"
    return CLEAN_VALUES[slot](), "CLEAN"


def template_records(path: Path, count: int, source: str) -> list[Record]:
    templates = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = []
    for _ in range(count):
        template = random.choice(templates)
        text, entities, protected = fill(template.replace("\\n", "\n"))
        records.append(record(text, entities, protected, template, source))
    return records


def write(records: list[Record], path: Path) -> None:
    lines = [json.dumps({k: v for k, v in r.items() if k != "_test"}) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    random.seed(SEED)
    Faker.seed(SEED)
    records = presidio_records(presidio_templates())
    random.seed(SEED)
    records += template_records(HERE / "pii_support_templates.txt", SUPPORT_SAMPLES, "support")
    records += template_records(HERE / "pii_clean_templates.txt", CLEAN_SAMPLES, "clean")
    write([r for r in records if not r["_test"]], HERE / "pii_presidio_dev.jsonl")
    write([r for r in records if r["_test"]], HERE / "pii_presidio_test.jsonl")
    write_support_extra()


def write_support_extra() -> None:
    """The hand-written tuning messages (mostly without personal data) as JSON Lines."""
    lines = load_lines("pii_support_extra.txt")
    records = [parse_handwritten(line.replace("\\n", "\n")) for line in lines]
    write([{**r, "source": "handwritten"} for r in records], HERE / "pii_support_extra.jsonl")


if __name__ == "__main__":
    main()
