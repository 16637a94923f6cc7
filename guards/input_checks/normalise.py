"""Undo the tricks that hide an attack from simple patterns, before any rule looks at text.

`views_of` returns the text as the rules should see it: NFKC-normalised, with zero-width
characters removed, look-alike letters (Cyrillic "а", Greek "ο"...) mapped to Latin, our own
placeholders neutralised, plus extra views: spaced-out letters joined, leetspeak undone, and
any base64 or hex payload decoded.

`classifier_view` is what the trained classifier reads: the normalised text with reference
codes (tracking numbers, order ids, vouchers) read as the word they stand for, so "tracking
1Z999AA10123456784" reads "tracking reference" and its letter soup no longer looks like an
encoded payload. (Encoded payloads are still decoded and judged, by `decoded_payloads`.)
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from functools import cache

from guards.embeddings import english_words

INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*_\d+>|\{\{[^{}\n]{1,60}\}\}")
"""Redaction placeholders (<PERSON_1>) and Bitext slots ({{Order Number}}): never suspicious."""
PLACEHOLDER_STAND_IN = "item"

_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝвкмнтАВЕКМНОРСТХІЈЅԜαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧΖɡɑ",
    "aeopcyxijsdhlqwbkmhtABEKMHOPCTXIJSWabeiknoptuxABEHIKMNOPTYXZga",
)
_LEET = str.maketrans("013457@$|!", "oieastasii")
_SPACED_LETTERS = re.compile(r"\b(?:[A-Za-z][ .\-_*]){3,}[A-Za-z]\b")
_BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_TOKEN = re.compile(r"\b(?:[0-9a-fA-F]{2}[ :]?){12,}\b")
_MIN_PRINTABLE_SHARE = 0.9
_CODE_TOKEN = re.compile(r"(?<![^\s(\[\"'])#?[A-Za-z0-9][A-Za-z0-9#\-_/.]{4,}[A-Za-z0-9]")
"""Six characters or more: shorter tokens with digits are names ("ROT13", "MP3"), not ids."""
_MIN_CODE_DIGITS = 2
_MIN_ID_DIGITS = 7
"""A plain number this long is an id (an order or account number), not a quantity."""
_LETTER_RUN = re.compile(r"[a-z]+")
_MIN_WORD_LETTERS = 4
CODE_STAND_IN = "reference"
"""What a reference code reads as for the classifier: ids carry no instruction."""


def normalise(text: str) -> str:
    """NFKC, no invisible characters, look-alikes mapped to Latin, placeholders neutralised."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text))
    text = text.translate(_CONFUSABLES)
    return PLACEHOLDER.sub(PLACEHOLDER_STAND_IN, text)


def classifier_view(text: str) -> str:
    """The normalised text with reference codes replaced by `CODE_STAND_IN`."""
    return _CODE_TOKEN.sub(_code_stand_in, normalise(text))


def is_reference_code(token: str) -> bool:
    """Letters and digits mixed, with no word in them read plainly or as leetspeak:
    "1Z999AA1012" is one; "1gn0re", "SUMMER2024" and "ignore-all-rules-22" are not. A plain
    number is one from seven digits ("370795561790"); shorter ones read as numbers."""
    if token.lstrip("#").isdigit():
        return len(token.lstrip("#")) >= _MIN_ID_DIGITS
    digits = sum(char.isdigit() for char in token)
    if digits < _MIN_CODE_DIGITS or not any(char.isalpha() for char in token):
        return False
    lowered = token.lower()
    words = [run for run in _LETTER_RUN.findall(lowered) if len(run) >= _MIN_WORD_LETTERS]
    leet_reading = re.sub(r"[^a-z]", "", lowered.translate(_LEET))
    return not any(word in _english_words() for word in [*words, leet_reading])


def _code_stand_in(match: re.Match[str]) -> str:
    return CODE_STAND_IN if is_reference_code(match.group(0)) else match.group(0)


@cache
def _english_words() -> frozenset[str]:
    return frozenset(english_words())


def views_of(text: str) -> list[str]:
    """The normalised text followed by every decoded or de-obfuscated variant of it
    (letters joined, leetspeak read, the whole text reversed, base64 and hex decoded)."""
    base = normalise(text)
    views = [base, _join_spaced_letters(base), base.translate(_LEET), base[::-1]]
    views.extend(normalise(payload) for payload in decoded_payloads(base))
    return list(dict.fromkeys(view for view in views if view))


def decoded_payloads(text: str) -> list[str]:
    """Readable text hidden in base64 or hex tokens of ``text``."""
    candidates = [_decode_base64(token) for token in _BASE64_TOKEN.findall(text)]
    candidates += [_decode_hex(token) for token in _HEX_TOKEN.findall(text)]
    return [payload for payload in candidates if payload and _is_readable(payload)]


def _join_spaced_letters(text: str) -> str:
    """ "i g n o r e" -> "ignore" (letters separated by single spaces, dots or dashes)."""
    return _SPACED_LETTERS.sub(lambda match: re.sub(r"[ .\-_*]", "", match.group(0)), text)


def _decode_base64(token: str) -> str:
    padded = token + "=" * (-len(token) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def _decode_hex(token: str) -> str:
    try:
        return bytes.fromhex(re.sub(r"[ :]", "", token)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""


def _is_readable(payload: str) -> bool:
    """Mostly printable text with at least a couple of words (not random bytes)."""
    printable = sum(ch.isprintable() or ch.isspace() for ch in payload)
    letters = sum(ch.isalpha() for ch in payload)
    return printable / len(payload) >= _MIN_PRINTABLE_SHARE and letters >= len(payload) / 2
