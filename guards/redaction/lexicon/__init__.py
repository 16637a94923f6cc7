"""Word lists used to find names: given names, family names, and words that are not names."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources


def fold(word: str) -> str:
    """``word`` case-folded and without accents: 'Sofía' and 'sofia' are one key."""
    if word.isascii():  # no accents to strip, and casefold() is lower() (the common case)
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def words(list_name: str) -> frozenset[str]:
    """The case-folded words of ``<list_name>.txt`` in this folder (``#`` starts a comment)."""
    text = resources.files(__package__).joinpath(f"{list_name}.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return frozenset(fold(word) for line in lines for word in line.split())


@cache
def phrases(list_name: str) -> tuple[str, ...]:
    """The lines of ``<list_name>.txt`` (``#`` starts a comment), as written, longest first."""
    text = resources.files(__package__).joinpath(f"{list_name}.txt").read_text(encoding="utf-8")
    lines = {line.split("#", 1)[0].strip() for line in text.splitlines()}
    return tuple(sorted((line for line in lines if line), key=len, reverse=True))


_NEXT_WORD = re.compile(r"(?:'s|’s)?[ \t]+(?P<word>[a-z]+)\b")


def next_word_in(text: str, end: int, list_name: str) -> bool:
    """Is the lower-case word right after ``end`` one of the list's ('... Court chairs')?"""
    match = _NEXT_WORD.match(text, end)
    return match is not None and match["word"] in words(list_name)
