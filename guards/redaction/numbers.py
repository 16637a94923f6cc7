"""Card numbers of every brand and IBANs however they are written, each checked by its checksum.

Presidio's card recognizer misses Mastercard's 2-series (2221-2720), 19-digit Visa, Maestro
and JCB's 2131/1800 numbers; its IBAN recognizer misses IBANs written in lower case. These
recognizers run beside Presidio's (whose findings are kept): Luhn for every brand, the
ISO 13616 mod-97 check for IBANs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guards.redaction.patterns import KeyedPattern, KeyedPatternRecognizer, Validator

_CARD = re.compile(r"(?<![\w+\-.])(?P<value>\d(?:[ \-]?\d){11,18})(?![\w\-]|[.,]\d)")
_CARD_PREFIX = re.compile(r"(?:4|5[0-9]|2[2-7]|3[0-9]|6|1800|2131)")
"""Visa, Mastercard (51-55 and 2221-2720), Maestro, Amex, Diners, JCB, Discover, UnionPay."""


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn checksum every card number carries."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _card_number(low: int, high: int) -> Validator:
    """A validator: a card brand's prefix, ``low`` to ``high`` digits and a valid checksum."""

    def validate(value: str) -> bool:
        digits = _digits(value)
        length_ok = low <= len(digits) <= high
        return length_ok and bool(_CARD_PREFIX.match(digits)) and luhn_valid(digits)

    return validate


def card_recognizer() -> KeyedPatternRecognizer:
    """Card numbers of 15 to 19 digits outright; 12 to 14 digits (Maestro) near card words."""
    patterns = [
        KeyedPattern("card number", _CARD, 0.8, _card_number(15, 19)),
        KeyedPattern("short card number", _CARD, 0.3, _card_number(12, 14)),
    ]
    context = ["card", "credit", "debit", "cc", "visa", "mastercard", "amex", "maestro", "payment"]
    return KeyedPatternRecognizer("CREDIT_CARD", patterns, context)


_IBAN = re.compile(
    r"(?i)(?<![\w\-])(?P<value>[a-z]{2}\d{2}(?:[ \-]?(?:[a-z0-9]{4}|\d{2}(?=[ \-]\d))){2,8}"
    r"(?:[ \-]?[a-z0-9]{1,3})?)"
    r"(?![\w\-])"
)
"""Groups of four after the country and check digits, spaced, dashed or not, and the
two-digit group of Spanish account numbers ('ES21 2100 0813 61 0201 7785 43'); a candidate
may run on into the words after it ('... 5365 the'), which `LongestValidPrefix` cuts off."""
_GROUP_BREAK = re.compile(r"[ \-][^ \-]*$")


@dataclass(frozen=True)
class LongestValidPrefix(KeyedPattern):
    """A pattern whose value is the longest prefix of the match, cut at a space or dash,
    that passes validation: an IBAN in lower case looks like the words after it."""

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The longest valid prefix of every match's ``value`` group, where there is one."""
        found = []
        for match in self.regex.finditer(text):
            start, end = match.span("value")
            while end > start and not self.validate(text[start:end]):
                cut = _GROUP_BREAK.search(text, start, end)
                end = cut.start() if cut else start
            if end > start:
                found.append((start, end))
        return found


def iban_valid(value: str) -> bool:
    """Whether ``value`` (any case, spaces or dashes allowed) passes the IBAN mod-97 check."""
    compact = value.replace(" ", "").replace("-", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def iban_recognizer() -> KeyedPatternRecognizer:
    """IBANs in any case and spacing ('de89370400440532013000', 'NL85-ABNA-0417-1643-11'),
    checked by their mod-97 digits."""
    patterns: list[KeyedPattern] = [LongestValidPrefix("iban any case", _IBAN, 0.85, iban_valid)]
    return KeyedPatternRecognizer("IBAN_CODE", patterns, ["iban", "bank"])
