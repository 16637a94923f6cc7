"""Sentence splitting that keeps every character, for whole replies and for streams.

`split_sentences("A. B.")` returns ``["A. ", "B."]``: joining the pieces gives the text back,
so a dropped sentence leaves the rest of the reply exactly as the model wrote it. A boundary
is end punctuation followed by whitespace (so "3.5", "acme.com" and "a@b.co" never split),
or a line break; abbreviations ("e.g.", "Mr.", "No. 5") and list numbers ("1. ") are not.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "etc.al", "mr", "mrs", "ms", "dr", "prof", "st", "no", "nr", "vs", "approx",
        "inc", "ltd", "co", "corp", "jr", "sr", "dept", "est", "fig", "min", "max", "ref", "tel",
        "u.s", "u.k", "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "ave",
        "incl", "excl", "govt", "pp", "vol", "art", "sec", "cf",
    }
)  # fmt: skip
_BOUNDARY = re.compile(r"(?:[.!?…]+[\"'”’)\]]*[ \t]+|\n\s*)")
_WORD_BEFORE = re.compile(r"(\S+?)[.!?…]*[\"'”’)\]]*[ \t]*$")


def _is_real_boundary(text: str, end_of_punct: int) -> bool:
    """False after an abbreviation, an initial ("J.") or a list number ("2.")."""
    match = _WORD_BEFORE.search(text, 0, end_of_punct)
    if match is None or "\n" in text[match.start() : end_of_punct]:
        return True
    word = match.group(1).lower().lstrip("([\"'")
    return not (word in ABBREVIATIONS or word.isdigit() or (len(word) == 1 and word.isalpha()))


def boundaries(text: str) -> list[int]:
    """Offsets where a sentence ends (just after its trailing whitespace)."""
    ends = []
    for match in _BOUNDARY.finditer(text):
        is_newline = "\n" in match.group(0)
        if is_newline or _is_real_boundary(text, match.end()):
            ends.append(match.end())
    return ends


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with its trailing whitespace; they join back to ``text``."""
    pieces, start = [], 0
    for end in boundaries(text):
        pieces.append(text[start:end])
        start = end
    if start < len(text):
        pieces.append(text[start:])
    return pieces


class SentenceStream:
    """Collects streamed text and hands out sentences once they are surely complete.

    A sentence is complete when its boundary is followed by the first character of the next
    one (so its trailing whitespace is known too). `flush` returns whatever is left.
    """

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, delta: str) -> list[str]:
        """Add streamed text; return the sentences completed by it (possibly none)."""
        self._buffer += delta
        complete = [end for end in boundaries(self._buffer) if end < len(self._buffer)]
        if not complete:
            return []
        cut = complete[-1]
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return split_sentences(ready)

    def flush(self) -> str:
        """The rest of the stream (an unfinished last sentence), emptying the buffer."""
        rest, self._buffer = self._buffer, ""
        return rest
