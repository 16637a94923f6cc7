"""Placeholder-like tokens the customer's vault did not issue ("<Sender_1>", "[Customer Name]").

A model copies such tokens from its training data; they mean nothing to the customer. After a
greeting ("Dear <Sender_1>,") the token is taken out; anywhere else its sentence is dropped.
The customer's own placeholders (issued by their vault, such as ``<PERSON_1>``) stay.
"""

from __future__ import annotations

import re

from guards.output_check.sentences import split_sentences
from guards.redaction.vault import PLACEHOLDER_PATTERN

PLACEHOLDER_LIKE = re.compile(
    r"<\s*[A-Za-z][\w ]{0,30}?\s*>"
    r"|\[\s*(?:your|customer|client|agent|company|user|first|last|full|recipient|sender)"
    r"[\w ]{0,25}\]"
    r"|\[\s*[A-Z][a-z]+(?:[ _][A-Z][a-z]+)*[ _](?:Name|Number|Email|Address|Date|Id|ID)\s*\]"
    r"|(?<!\{)\{\s*[a-z][a-z_ ]{1,30}\s*\}(?!\})",
    re.I,
)
_AFTER_GREETING = re.compile(
    r"\b(?P<greeting>Hi|Hello|Hey|Dear|Thanks|Thank you|Good (?:morning|afternoon|evening))"
    r"[ \t]*,?[ \t]*(?P<token>" + PLACEHOLDER_LIKE.pattern + r")",
    re.I,
)


def foreign_placeholders(text: str, issued: set[str]) -> list[str]:
    """The placeholder-like tokens in ``text`` that are not among ``issued`` (vault-shaped
    ones, "<PERSON_7>", are left to the personal-data step, which labels them)."""
    tokens = [m.group(0) for m in PLACEHOLDER_LIKE.finditer(text)]
    return [t for t in tokens if t not in issued and not PLACEHOLDER_PATTERN.fullmatch(t)]


def remove_foreign_placeholders(text: str, issued: set[str]) -> tuple[str, int]:
    """``text`` without foreign placeholder tokens, and how many sentences or tokens went."""
    if not foreign_placeholders(text, issued):
        return text, 0
    greeted = _AFTER_GREETING.sub(lambda m: _greeting_without(m, issued), text)
    kept = [s for s in split_sentences(greeted) if not foreign_placeholders(s, issued)]
    return "".join(kept), len(foreign_placeholders(text, issued))


def _greeting_without(match: re.Match[str], issued: set[str]) -> str:
    """ "Dear <Sender_1>" -> "Dear" (an issued placeholder is kept)."""
    return match.group(0) if match.group("token") in issued else match.group("greeting")
