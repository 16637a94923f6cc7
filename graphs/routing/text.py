"""Text clean-up shared by the intent classifier and the handoff policy.

Customer messages reach triage already redacted (``<PERSON_1>``, ``<EMAIL_ADDRESS_1>``) and the
Bitext rows carry slots (``{{Order Number}}``). Both are turned into plain words for the
classifier, and removed for the policy so that a placeholder never looks like a request.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_BITEXT_SLOT = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
_REDACTION_PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*?)(?:_\d+)?>")
_TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")
_WORD = re.compile(r"[a-z]+")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

# Placeholder types whose own name would read as a keyword ("person" reads as "a human").
_PLACEHOLDER_WORDS = {"PERSON": "name"}


def _placeholder_words(match: re.Match[str]) -> str:
    kind = match.group(1)
    return " " + _PLACEHOLDER_WORDS.get(kind, kind.replace("_", " ").lower()) + " "


def fill_placeholders(text: str) -> str:
    """Replace slots and redaction placeholders by the lower-case words they stand for."""
    text = _BITEXT_SLOT.sub(lambda match: " " + match.group(1).lower() + " ", text)
    return _REDACTION_PLACEHOLDER.sub(_placeholder_words, text)


def strip_placeholders(text: str) -> str:
    """Remove slots and redaction placeholders altogether."""
    return _REDACTION_PLACEHOLDER.sub(" ", _BITEXT_SLOT.sub(" ", text))


def fold_accents(text: str) -> str:
    """`"Hablar con un señor à côté"` -> `"Hablar con un senor a cote"`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokens(text: str) -> list[str]:
    """Lower-case word and punctuation tokens of `text`."""
    return _TOKEN.findall(fold_accents(text).lower())


def _one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletions = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replacements = {left + c + right[1:] for left, right in splits if right for c in _ALPHABET}
    insertions = {left + c + right for left, right in splits for c in _ALPHABET}
    return deletions | swaps | replacements | insertions


class SpellingFixer:
    """Fixes misspelt words towards the vocabulary of the training texts.

    A word is left alone when it is short, already in the training vocabulary, or a known English
    word (`known_words`), so real words the training data never used are not "corrected".
    Otherwise it becomes the most frequent training word one edit away, or is split in two
    training words (``tocancel`` -> ``to cancel``).
    """

    min_length = 4

    def __init__(self, training_texts: Iterable[str], known_words: Iterable[str]) -> None:
        counts = Counter(word for text in training_texts for word in tokens(text))
        self._vocabulary = {word: count for word, count in counts.items() if count >= 2}
        self._known = frozenset(known_words)

    def fix(self, text: str) -> str:
        """`text` as lower-case tokens, misspellings fixed."""
        return " ".join(self._fix_word(word) for word in tokens(text))

    def _fix_word(self, word: str) -> str:
        if len(word) < self.min_length or not word.isalpha():
            return word
        if word in self._vocabulary or word in self._known:
            return word
        candidates = [edit for edit in _one_edit_away(word) if edit in self._vocabulary]
        if candidates:
            return max(candidates, key=lambda edit: (self._vocabulary[edit], edit))
        return self._split_in_two(word) or word

    def _split_in_two(self, word: str) -> str | None:
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if left in self._vocabulary and right in self._vocabulary:
                return f"{left} {right}"
        return None


def plain_words(vocabulary: Iterable[str]) -> set[str]:
    """The entries of a tokenizer vocabulary that are whole lower-case words."""
    return {entry for entry in vocabulary if _WORD.fullmatch(entry)}
