"""Input that is not a message at all: keyboard mash, symbols only, one character repeated.

Short answers ("ok", "12345", "ORD-881", "👍", "??") are real replies and must pass; the
tests here only fire on text that no reading could make sense of.
"""

from __future__ import annotations

import re
import unicodedata

_KEYBOARD_RUNS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_VOWELS = set("aeiouy")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SAME_CHAR_RUN = re.compile(r"(.)\1{11,}", re.DOTALL)
_SAME_TOKEN_RUN = re.compile(r"\b(\w+)(?:\W+\1\b){9,}", re.IGNORECASE)
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{6,}", re.IGNORECASE)
_MIN_MASH_SHARE = 0.6
_BARE_MARKS = re.compile(r"[?!.…]{1,3}")
"""A confused "?" or "..." is still a turn in the conversation."""


def garbage_reason(text: str) -> str | None:
    """Why ``text`` is garbage (``no_words``, ``repeated``, ``keyboard_mash``), or None."""
    stripped = text.strip()
    if _BARE_MARKS.fullmatch(stripped):
        return None
    if not any(ch.isalnum() or _is_emoji(ch) for ch in stripped):
        return "no_words"
    if _is_mostly_repeats(stripped):
        return "repeated"
    if _is_keyboard_mash(stripped):
        return "keyboard_mash"
    return None


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So"


def _is_mostly_repeats(text: str) -> bool:
    """One character or one token repeated over most of the text."""
    repeated = sum(len(m.group(0)) for m in _SAME_CHAR_RUN.finditer(text))
    repeated += sum(len(m.group(0)) for m in _SAME_TOKEN_RUN.finditer(text))
    return repeated >= 0.7 * len(text)


def _is_keyboard_mash(text: str) -> bool:
    """Most words are unpronounceable or runs along a keyboard row."""
    words = [word.lower() for word in _WORD.findall(text) if len(word) >= 4]
    if not words or (len(words) == 1 and len(words[0]) < 7):
        return False
    mashed = sum(_looks_mashed(word) for word in words)
    return mashed / len(words) >= _MIN_MASH_SHARE


def _looks_mashed(word: str) -> bool:
    if not word.isascii():
        return False
    vowel_share = sum(ch in _VOWELS for ch in word) / len(word)
    on_a_row = any(word[i : i + 5] in row for row in _KEYBOARD_RUNS for i in range(len(word) - 4))
    return on_a_row or vowel_share < 0.1 or bool(_CONSONANT_RUN.search(word))
