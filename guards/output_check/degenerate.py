"""Text a model produces when it has gone wrong: empty, looping, repeating itself."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_CHAR_LOOP = re.compile(r"(\S.{0,29}?)\1{7,}", re.DOTALL)
_WORD_RUN = re.compile(r"\b(\w+)(?:\W+\1\b){5,}", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
_NGRAM = 4
_MAX_NGRAM_REPEATS = 4
_MIN_SENTENCE_CHARS = 12
_MAX_SENTENCE_REPEATS = 3


def sentence_key(sentence: str) -> str:
    """A sentence's words, lower-cased: two spellings of one sentence share a key."""
    return " ".join(_WORDS.findall(sentence.lower()))


def degenerate_reason(text: str, sentences: Sequence[str]) -> str | None:
    """Why ``text`` (made of ``sentences``) is degenerate, or None if it reads normally."""
    if not text.strip():
        return "degenerate:empty"
    if _CHAR_LOOP.search(text) or _WORD_RUN.search(text):
        return "degenerate:loop"
    if _repeated_sentence(sentences):
        return "degenerate:repeated_sentence"
    if _runaway_ngram(text):
        return "degenerate:repeated_phrase"
    return None


def _repeated_sentence(sentences: Sequence[str]) -> bool:
    keys = [sentence_key(s) for s in sentences if len(s.strip()) >= _MIN_SENTENCE_CHARS]
    return any(count >= _MAX_SENTENCE_REPEATS for count in Counter(keys).values())


def _runaway_ngram(text: str) -> bool:
    words = [word.lower() for word in _WORDS.findall(text)]
    ngrams = Counter(tuple(words[i : i + _NGRAM]) for i in range(len(words) - _NGRAM + 1))
    return any(count >= _MAX_NGRAM_REPEATS for count in ngrams.values())
