"""Recognizers for what customer-support messages carry beyond Presidio's defaults.

Phone numbers, SSNs, street addresses, dates of birth, passwords and account numbers,
plus Presidio's e-mail recognizer made to work offline.
"""

from __future__ import annotations

import re

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from guards.redaction.patterns import KeyedPattern, KeyedPatternRecognizer, Validator


def _split(words: str) -> list[str]:
    """The whitespace-separated words of a literal word list."""
    return words.split()


_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
"""Uses the public-suffix snapshot bundled with tldextract; never fetches anything."""


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains without the network."""

    def validate_result(self, pattern_text: str) -> bool:
        """Whether the address ends in a known public suffix."""
        return _OFFLINE_TLD(pattern_text.rsplit("@", 1)[-1]).fqdn != ""


def _digit_count_between(low: int, high: int) -> Validator:
    """A validator accepting values with between ``low`` and ``high`` digits."""

    def validate(value: str) -> bool:
        return low <= sum(ch.isdigit() for ch in value) <= high

    return validate


_SEP = r"[ .\-\u00a0]?"
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?P<value>(?:\+|00)[1-9]\d{0,2}" + _SEP + r"(?:\(0\)" + _SEP + r")?"
    r"\(?\d{1,5}\)?(?:" + _SEP + r"\d{1,5}){1,5})(?![\w-])"
)
_PHONE_NATIONAL = re.compile(
    r"(?<![\w+\-/#.])(?P<value>\(?\d{2,5}\)?[ .\-\u00a0]\d{2,8}(?:[ .\-\u00a0]\d{2,4}){0,3})"
    r"(?![\w\-/])"
)
_PHONE_COMPACT = re.compile(r"(?<![\w+\-/#.])(?P<value>0?\d{9,10})(?![\w\-/])")


_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def _phone_digits(low: int, high: int) -> Validator:
    """Between ``low`` and ``high`` digits, and not an IP address."""
    count_ok = _digit_count_between(low, high)
    return lambda value: count_ok(value) and not _DOTTED_QUAD.fullmatch(value)


def phone_recognizer() -> KeyedPatternRecognizer:
    """International (+44 ..., 0049 ...) and national phone numbers (555-123-4567, 07700 900123)."""
    patterns = [
        KeyedPattern("phone international", _PHONE_INTERNATIONAL, 0.7, _digit_count_between(8, 15)),
        KeyedPattern("phone national", _PHONE_NATIONAL, 0.45, _phone_digits(9, 12)),
        KeyedPattern("phone compact", _PHONE_COMPACT, 0.3, _digit_count_between(10, 11)),
    ]
    context = ["phone", "call", "mobile", "cell", "tel", "telephone", "number", "reach",
               "whatsapp", "text", "sms", "contact", "landline", "ring"]  # fmt: skip
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


_STREET_KINDS = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|close|crescent|cres|gardens|"
    r"row|mews|trail|walk|hill|grove|park|alley|plaza|pike|loop"
)
_CONTINENTAL_SUFFIXES = (
    r"(?:\s+(?=[A-Z]))?(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig)"
)
_CONTINENTAL_KINDS = (
    r"rue|avenue|av\.|boulevard|bd|chemin|allée|allee|place|impasse|quai|cours|route|calle|"
    r"avenida|av|via|viale|piazza|corso|rua|praça|straat|laan|gracht|ulica|ul\."
)
_WORD = r"[^\W\d_][\w'’.\-]*"
_UNIT = r"(?:,?\s*(?:apt|apartment|suite|ste|unit|flat|floor|fl|#)\.?\s*#?\w{1,5})?"
_CITY = r"[^\W\d_][\w'’\-]*(?:\s+[^\W\d_][\w'’\-]*){0,2}"
_TAIL = (
    r"(?:,?\s*" + _CITY + r",?\s+(?:[A-Za-z]{2}\.?\s+)?\d{5}(?:-\d{4})?\b"  # city, ST 12345
    r"|,?\s*(?:" + _CITY + r",?\s+)?[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b"  # UK postcode
    r"|,?\s*\d{4,5}\s+" + _CITY + r"(?=[\s,.!?;)]|$)"  # 10115 Berlin
    r"|(?-i:,\s*[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?(?:,\s*[A-Z]{2}\b)?))?"  # , Springfield, IL
)
_ADDRESS_NUMBER_FIRST = re.compile(
    r"(?i)(?<![\w-])(?P<value>(?P<street>\d{1,5}[a-z]?\s+(?:[nsew]\.?\s+)?(?:"
    + _WORD
    + r"\s+){0,3}"
    r"(?:" + _STREET_KINDS + r")\b\.?(?:\s+(?:nw|ne|sw|se|n|s|e|w)\b\.?)?)" + _UNIT + _TAIL + r")"
)
_ADDRESS_CONTINENTAL = re.compile(
    r"(?i)(?<![\w-])(?P<value>(?:"
    r"[^\W\d_][\w\-]*(?:" + _CONTINENTAL_SUFFIXES + r")\s*\d{1,4}(?:\s?[a-z])?(?!\w)"
    r"|(?:\d{1,4}(?:\s?(?:bis|ter))?,?\s+)?(?:" + _CONTINENTAL_KINDS + r")\s+"
    r"(?:(?:de|la|del|des|du|d'|della|di|do|da|dos)\s+){0,2}"
    + _WORD
    + r"(?:\s+"
    + _WORD
    + r"){0,1}"
    r"(?:,?\s+\d{1,4}[a-z]?(?!\w))?"
    r")" + _UNIT + _TAIL + r")"
)
_NOT_STREET_WORDS = frozenset(
    _split(
        "a an the on in at to of for my your our his her their this that it is was and or by "
        "days day weeks week hours hour minutes months years ago times items more less than "
        "about around over under before after from with without same one two three"
    )
)


def _plausible_street(value: str) -> bool:
    """Rejects '3 days ago on the way': street names are not made of ordinary words."""
    words = re.findall(r"\b[^\W\d_]+\b", value.split(",")[0].casefold())
    return len(words) >= 2 and not _NOT_STREET_WORDS.intersection(words[:-1])


def _plausible_continental(value: str) -> bool:
    """A continental address needs a house number and a street name of no ordinary words."""
    words = re.findall(r"[^\W\d_]+", value.split(",")[0].casefold())
    return any(ch.isdigit() for ch in value) and not _NOT_STREET_WORDS.intersection(words)


def address_recognizer() -> KeyedPatternRecognizer:
    """Street addresses: '221B Baker Street', '1600 Pennsylvania Ave NW, Washington, DC 20500',
    'Hauptstraße 5, 10115 Berlin', '12 rue de Rivoli, 75001 Paris'."""
    patterns = [
        KeyedPattern("address us/uk", _ADDRESS_NUMBER_FIRST, 0.6, _plausible_street),
        KeyedPattern("address continental", _ADDRESS_CONTINENTAL, 0.55, _plausible_continental),
    ]
    context = ["address", "live", "ship", "deliver", "send", "street", "home", "move", "moved"]
    return KeyedPatternRecognizer("STREET_ADDRESS", patterns, context)


_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    r"\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTHS + r")\.?,?\s+\d{2,4}"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}"
)
_BIRTH_DATE = re.compile(
    r"(?i)\b(?:born(?:\s+on|\s+in)?|birth\s*date|date\s+of\s+birth|d\.?o\.?b\.?|birthday|"
    r"b-?day)[^\d\n.!?]{0,25}?(?P<value>" + _DATE + r"|(?<=in )\d{4}\b)"
)


def date_of_birth_recognizer() -> KeyedPatternRecognizer:
    """Dates announced as a birth date ('born on 12/03/1985', 'DOB: 1985-03-12').
    Other dates (a delivery 'March 3rd') are not personal data and are left alone."""
    return KeyedPatternRecognizer(
        "DATE_OF_BIRTH", [KeyedPattern("date of birth", _BIRTH_DATE, 0.85)], ["birth", "born"]
    )


_SECRET_WORDS = (
    r"password|passwort|passwd|pass\s?word|pwd|pw|passcode|pass\s?code|pin(?:\s?(?:code|number|no))?|"
    r"secret|otp|one[- ]time\s+(?:code|password|pin)|verification\s+code|security\s+code|"
    r"cvv2?|cvc|api[\s_\-]?key|access\s+(?:code|token|key)|auth(?:entication)?\s+code|"
    r"login\s+code|2fa\s+code|token|security\s+answer|memorable\s+word"
)
_SECRET_VALUE = r"[\"'`]?(?P<value>[^\s\"'`]+?)[\"'`]?(?=[\s,;!?)]|[.:](?:\s|$)|$)"
_SECRET_STATED = re.compile(
    r"(?i)\b(?:" + _SECRET_WORDS + r")\b(?:\s+(?:is|was|will be|should be|set to|changed to"
    r"|reads|=|:)|[ \t]*[:=]|\s+is\s+now|\s+is\s+still)[ \t]*(?:now\s+|still\s+)?" + _SECRET_VALUE
)
"""The value follows on the same line: a heading "Password:" above a numbered list is not one."""
_SECRET_LATER = re.compile(
    r"(?i)\b(?:" + _SECRET_WORDS + r")\b[^.!?\n]{1,40}?\b(?:is|was|=|:)\s+" + _SECRET_VALUE
)
_SECRET_ADJACENT = re.compile(r"(?i)\b(?:" + _SECRET_WORDS + r")\b\s+" + _SECRET_VALUE)
_NOT_SECRETS = frozenset(
    _split(
        "not wrong incorrect correct invalid expired reset changed the a an my your too still "
        "working work broken locked same different right ok fine and or but for to it that this "
        "is was be been being now please again already new old forgotten lost stolen being gone "
        "required needed does doesn't isn't wasn't won't didn't dont don't has have case "
        "sensitive empty blank valid strong weak short long simple accepted rejected asked sent "
        "saved in on at of with from by because since so if when what which who how why"
    )
)


def _plausible_secret(value: str) -> bool:
    """Not a filler word, and long enough to be a secret (PINs have four digits)."""
    stripped = value.casefold().strip(".,!?")
    return stripped not in _NOT_SECRETS and len(stripped) >= 3


def _looks_generated(value: str) -> bool:
    """A secret written without 'is'/':' must look like one: digits or symbols in it."""
    return _plausible_secret(value) and bool(re.search(r"[\d\W_]", value))


def password_recognizer() -> KeyedPatternRecognizer:
    """Passwords, PINs, one-time codes and keys: 'my password is hunter2', 'pin: 4821'."""
    patterns = [
        KeyedPattern("secret stated", _SECRET_STATED, 0.9, _plausible_secret),
        KeyedPattern("secret adjacent", _SECRET_ADJACENT, 0.7, _looks_generated),
        KeyedPattern("secret later", _SECRET_LATER, 0.7, _plausible_secret),
    ]
    return KeyedPatternRecognizer("PASSWORD", patterns, ["password", "pin", "secret", "code"])


_ACCOUNT = re.compile(
    r"(?i)\b(?:(?:bank\s+|checking\s+|savings\s+|customer\s+|member(?:ship)?\s+|loyalty\s+)?"
    r"(?:account|acct|acc|a/c)|customer|member(?:ship)?|routing|sort\s+code|policy|"
    r"loyalty(?:\s+card)?)"
    r"(?:\s+(?:number|no|num|nr|#|id))?\.?\s*(?:is|was|:|#|-)?\s*"
    r"(?P<value>(?:[A-Z]{1,4}-?)?\d[\d\- ]{2,22}\d)(?![\w-])"
)


def account_number_recognizer() -> KeyedPatternRecognizer:
    """Account, customer, membership and policy numbers announced as such."""
    patterns = [KeyedPattern("account number", _ACCOUNT, 0.8, _digit_count_between(4, 22))]
    return KeyedPatternRecognizer("ACCOUNT_NUMBER", patterns, ["account", "acct", "number"])
