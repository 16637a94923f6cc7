"""Recognizers for what customer-support messages carry beyond Presidio's defaults.

Phone numbers, SSNs, dates of birth and account numbers, plus Presidio's e-mail
recognizer made to work offline and for any top-level domain (street addresses are in
`addresses`, secrets in `credentials`).
"""

from __future__ import annotations

import re
from datetime import date

from presidio_analyzer.predefined_recognizers import EmailRecognizer

from guards.redaction.patterns import KeyedPattern, KeyedPatternRecognizer, Validator

_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9\-]+)", re.I
)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains without the network."""

    def validate_result(self, pattern_text: str) -> bool:
        """Whether the address has a well-formed domain. Any top-level domain will do, known
        or not: Presidio checks the public-suffix list, which let addresses under new,
        reserved or mistyped ones through ('orders@shop.example', 'me@mail.con') on the
        fifth blind set, 6 of 67 left against 3 for the default."""
        return _DOMAIN.fullmatch(pattern_text.rsplit("@", 1)[-1]) is not None


def _digit_count_between(low: int, high: int) -> Validator:
    """A validator accepting values with between ``low`` and ``high`` digits."""

    def validate(value: str) -> bool:
        return low <= sum(ch.isdigit() for ch in value) <= high

    return validate


_SEP = r"[ .\-\u00a0]?"
_EXTENSION = r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,5})?"
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?P<value>(?:\+|00)[1-9]\d{0,2}" + _SEP + r"(?:\(0\)" + _SEP + r")?"
    r"\(?\d{1,5}\)?(?:" + _SEP + r"\d{1,5}){1,5}" + _EXTENSION + r")(?![\w-])"
)
_PHONE_NATIONAL = re.compile(
    r"(?<![\w+\-/#.:])(?P<value>(?:\(\d{2,5}\)[ .\-\u00a0]?|\d{2,5}[ .\-\u00a0])\d{2,8}"
    r"(?:[ .\-\u00a0]\d{2,4}){0,3}" + _EXTENSION + r")(?![\w\-/:]|[.,]\d)"
)
_PHONE_COMPACT = re.compile(r"(?<![\w+\-/#.:])(?P<value>0?\d{9,10})(?![\w\-/:]|[.,]\d)")
_PHONE_NANP = re.compile(r"(?<![\w+\-/#.:])(?P<value>1?[2-9]\d{2}[2-9]\d{6})(?![\w\-/:]|[.,]\d)")
"""Ten digits shaped like a North American number (area code and exchange start 2-9)."""

_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_DATE_SHAPE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}\b|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d{2}$")


def _phone_digits(low: int, high: int) -> Validator:
    """Between ``low`` and ``high`` digits, and neither an IP address nor a date."""
    count_ok = _digit_count_between(low, high)

    def validate(value: str) -> bool:
        shaped_otherwise = _DOTTED_QUAD.fullmatch(value) or _DATE_SHAPE.match(value)
        return count_ok(value) and not shaped_otherwise

    return validate


def phone_recognizer() -> KeyedPatternRecognizer:
    """International (+44 ..., 0049 ...), national ((980)241-2068, 709.361.7136x167) and
    compact (6422737191) phone numbers; short local ones (9822 3749) only near phone words."""
    patterns = [
        KeyedPattern("phone international", _PHONE_INTERNATIONAL, 0.7, _digit_count_between(8, 20)),
        KeyedPattern("phone national", _PHONE_NATIONAL, 0.45, _phone_digits(9, 17)),
        KeyedPattern("phone local", _PHONE_NATIONAL, 0.15, _phone_digits(6, 8)),
        KeyedPattern("phone nanp", _PHONE_NANP, 0.45),
        KeyedPattern("phone compact", _PHONE_COMPACT, 0.3, _digit_count_between(9, 11)),
    ]
    context = ["phone", "call", "mobile", "cell", "tel", "telephone", "number", "reach",
               "whatsapp", "text", "sms", "contact", "landline", "ring", "fax", "office",
               "message", "messages"]  # fmt: skip
    return KeyedPatternRecognizer("PHONE_NUMBER", patterns, context)


def ssn_recognizer() -> KeyedPatternRecognizer:
    """US social security numbers, dashed, or bare nine digits after "SSN"."""
    dashed = re.compile(r"(?<![\w-])(?P<value>\d{3}([- ])\d{2}\2\d{4})(?![\w-])")
    announced = re.compile(
        r"(?i:\b(?:ssn|social security(?: number| no\.?)?|social)\b\s*(?:is|was|:|#)?\s*)"
        r"(?P<value>\d{3}[- ]?\d{2}[- ]?\d{4})\b"
    )
    patterns = [KeyedPattern("ssn dashed", dashed, 0.5), KeyedPattern("ssn", announced, 0.85)]
    return KeyedPatternRecognizer("US_SSN", patterns, ["ssn", "social", "security"])


_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_FOREIGN_MONTHS = (
    r"januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|"
    r"juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|"
    r"junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|"
    r"maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus"
)
"""German, French, Spanish, Italian and Dutch month names ('3. Mai 1971', '12 de mayo de 1980')."""
_DATE = (
    r"\d{1,2}\.?\s+(?:de\s+)?(?:" + _FOREIGN_MONTHS + r"|" + _MONTHS + r")\s+(?:de\s+)?\d{4}|"
    r"\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTHS + r")\.?,?\s+\d{2,4}"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}"
)
_FOREIGN_BIRTH_WORDS = (
    r"geboren|geburtsdatum|geb\.|n[ée]e?\s+le|date\s+de\s+naissance|nacid[oa]|"
    r"fecha\s+de\s+nacimiento|nat[oa]\s+il|data\s+di\s+nascita|geboortedatum|"
    r"data\s+de\s+nascimento|nascid[oa]"
)
_BIRTH_DATE = re.compile(
    r"(?i)\b(?:born(?:\s+on|\s+in)?|birth\s*date|date\s+of\s+birth|d\.?o\.?b\.?|birthday|"
    r"b-?day|" + _FOREIGN_BIRTH_WORDS + r")[^\d\n]{0,25}?"
    r"(?P<value>(?:the\s+(?=\d))?(?:" + _DATE + r")|(?<=in )\d{4}\b)"
)
_FULL_DATE = re.compile(
    r"(?i)(?<![\w/.\-])(?P<value>" + _DATE + r")(?![\w/\-]|[.:]\d|\s+\d{1,2}:\d{2})"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_YOUNGEST_CUSTOMER_AGE = 14


def _old_enough_to_be_a_birth_date(value: str) -> bool:
    """A full date at least as old as the youngest customer: orders and deliveries are recent."""
    year = _YEAR.search(value)
    return year is not None and int(year.group()) <= date.today().year - _YOUNGEST_CUSTOMER_AGE


def date_of_birth_recognizer() -> KeyedPatternRecognizer:
    """Dates announced as a birth date ('born on 12/03/1985', 'DOB: 1985-03-12'), and full
    dates too old to be about an order ('since 11/7/1940'). Recent dates (a delivery on
    'March 3rd', '05/11/2026') are not personal data and are left alone."""
    patterns = [
        KeyedPattern("date of birth", _BIRTH_DATE, 0.85),
        KeyedPattern("old full date", _FULL_DATE, 0.45, _old_enough_to_be_a_birth_date),
    ]
    return KeyedPatternRecognizer("DATE_OF_BIRTH", patterns, ["birth", "born"])


_FOREIGN_ACCOUNT_WORDS = (
    r"kundennummer|kunden-?nr\.?|kontonummer|klantnummer|rekeningnummer|kundnummer|"
    r"asiakasnumero|num[ée]ro\s+(?:de\s+)?(?:client|compte)|n[°º]\s*client|"
    r"n[úu]mero\s+(?:de\s+|da\s+|do\s+)?(?:cliente|cuenta|conta)|numero\s+(?:di\s+)?(?:cliente|conto)|"
    r"numer\s+(?:klienta|konta)|m[üu][şs]teri\s+numaras[ıi]|konto|cuenta|conto|compte|"
    r"rekening|rachunek"
)
"""'Kundennummer K-2210-88731', 'numéro client ...', 'número de cliente ...'."""
_ACCOUNT = re.compile(
    r"(?i)\b(?:(?:bank\s+|checking\s+|savings\s+|customer\s+|member(?:ship)?\s+|loyalty\s+)?"
    r"(?:account|acct|acc|a/c)|customer|client|member(?:ship)?|routing|sort\s+code|"
    r"(?:policy\s*)?holder|patient|loyalty(?:\s+card)?|" + _FOREIGN_ACCOUNT_WORDS + r")"
    r"(?:\s+(?:number|no|num|nr|#|id|client))?\.?\s*(?:is|was|ist|es|est|è|é|:|#|-)?\s*"
    r"(?P<value>(?!(?:ORD|INV|TKT|RMA|REF|POL|PO)\b)(?:(?-i:[A-Z]{1,4})[- ]?){0,2}\d[\d\- ]{2,22}\d"
    r"(?:-(?-i:[A-Z]{1,4}))?)(?![\w-])"
)
"""A policy number is a reference the bot needs ('policy POL-2290331'); a policy holder's id
is an account number."""


_ACCOUNT_LATER = re.compile(
    r"(?i)\b(?:account|acct)\b[^\n]{0,60}?(?:\n[^\n]{0,30}?)?\b(?:the|its|it's|it’s|my)\s+"
    r"(?:number|no\.?|#)\s*(?:is|was|:)?\s*(?P<value>\d[\d ]{4,14}\d)(?![\w-])"
)
"""'I want to close my savings account. The number is 40118823.': the account is named first."""
_ACCOUNT_NUMBER_THEN = re.compile(
    r"(?i)\b(?:account|acct|a/c)\s+(?:number|no\.?|nr\.?|#)"
    r"(?:(?!\s*(?:order|ticket|invoice|tracking|ref|phone|mobile|card)\b)[^\n\d.?!]){1,40}?"
    r"(?P<value>\d[\d \-]{4,16}\d)(?![\w-])"
)
"""'my account number for the refund: 31926819', 'the account number, it's 67120998': words
between the account number and its digits (not an order's or a phone's)."""


def account_number_recognizer() -> KeyedPatternRecognizer:
    """Account, customer, client, membership and policy-holder numbers announced as such,
    in English and other languages, or named after the account ('the number is ...')."""
    patterns = [
        KeyedPattern("account number", _ACCOUNT, 0.8, _digit_count_between(4, 22)),
        KeyedPattern("account number later", _ACCOUNT_LATER, 0.7, _digit_count_between(6, 14)),
        KeyedPattern("account number then", _ACCOUNT_NUMBER_THEN, 0.7, _digit_count_between(6, 14)),
    ]
    return KeyedPatternRecognizer("ACCOUNT_NUMBER", patterns, ["account", "acct", "number"])
