"""The redaction guard: find personal data, keep protected references, swap in placeholders."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection

from presidio_analyzer import RecognizerResult

from guards.redaction.config import RedactionConfig
from guards.redaction.engine import build_analyzer
from guards.redaction.model import Entity, Redaction
from guards.redaction.names import coordinated_names, refine_person_span
from guards.redaction.vault import PlaceholderVault
from guards.verdict import Verdict

Span = tuple[int, int]


Placeholder = Callable[[Entity, str], str]
"""The text that replaces an entity, given the entity and its value."""


def merge_overlapping(entities: list[Entity]) -> list[Entity]:
    """One entity per overlapping group, covering all of it, typed by its strongest member."""
    merged: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if merged and entity.start < merged[-1].end:
            last = merged.pop()
            typed_by = _typing_member(last, entity)
            merged.append(
                Entity(typed_by.type, last.start, max(last.end, entity.end), typed_by.score)
            )
        else:
            merged.append(entity)
    return merged


def _typing_member(first: Entity, second: Entity) -> Entity:
    """The finding whose type an overlapping pair takes: the one holding the other whole
    (an address holding a street named after a person, 'Calle Alcalá 88, 28009 Madrid'),
    else the strongest."""
    if first.holds(second) or second.holds(first):
        return first if first.holds(second) else second
    return max((first, second), key=lambda e: (e.score, e.end - e.start))


def replace_entities(text: str, entities: list[Entity], placeholder: Placeholder) -> str:
    """``text`` with each of the ordered, non-overlapping ``entities`` replaced."""
    pieces, cursor = [], 0
    for entity in entities:
        value = text[entity.start : entity.end]
        pieces += [text[cursor : entity.start], placeholder(entity, value)]
        cursor = entity.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _without_kept(text: str, entities: list[Entity], keep: Collection[str]) -> list[Entity]:
    """``entities`` less those whose every word is a word of a kept value."""
    kept_words = {word.casefold() for value in keep for word in value.split()}
    return [
        entity
        for entity in entities
        if not kept_words
        or not set(text[entity.start : entity.end].casefold().split()) <= kept_words
    ]


def _to_entity(text: str, result: RecognizerResult) -> Entity | None:
    """Our entity for a Presidio result; PERSON spans are vetted and trimmed first."""
    start, end = result.start, result.end
    if result.entity_type == "PERSON":
        refined = refine_person_span(text, start, end)
        if refined is None:
            return None
        start, end = refined
    return Entity(result.entity_type, start, end, round(float(result.score), 3))


class Redactor:
    """Replaces personal data with per-conversation placeholders such as ``<PERSON_1>``.

    Building one loads the spaCy model (seconds); build it once and share it: `redact`
    and `check` are safe to call from several threads at once.
    """

    name = "redact"

    def __init__(self, config: RedactionConfig | None = None) -> None:
        self.config = config or RedactionConfig()
        self._analyzer = build_analyzer(self.config)
        self._protected = [re.compile(pattern) for pattern in self.config.protected_patterns]
        self._unprotectable = frozenset(self.config.unprotectable_types)

    def analyze(self, text: str) -> list[Entity]:
        """The personal data in ``text``, non-overlapping and in order."""
        if not text.strip():
            return []
        results = self._analyzer.analyze(
            text=text,
            language=self.config.language,
            entities=list(self.config.entity_types),
            score_threshold=self.config.score_threshold,
        )
        entities = [e for e in (_to_entity(text, r) for r in results) if e is not None]
        entities += coordinated_persons(text, entities)
        entities += repeated_name_words(text, entities)
        entities = [with_initial(text, entity) for entity in entities]
        protected = self.protected_spans(text)
        kept = [part for entity in entities for part in self._resolve(text, entity, protected)]
        return merge_overlapping(kept)

    def protected_spans(self, text: str) -> list[Span]:
        """Where the protected references (order numbers, ``{{Slot}}`` s...) are in ``text``."""
        spans = []
        for pattern in self._protected:
            for match in pattern.finditer(text):
                group = 1 if pattern.groups else 0
                if match.end(group) > match.start(group):
                    spans.append(match.span(group))
        return spans

    def redact(
        self, text: str, vault: PlaceholderVault | None = None, keep: Collection[str] = ()
    ) -> Redaction:
        """``text`` with each piece of personal data replaced by its placeholder in ``vault``.
        ``keep``: values the writer means to show (an agent's own display name): a finding
        made only of their words stays as written."""
        vault = vault if vault is not None else PlaceholderVault()
        vault.reserve(text)
        entities = _without_kept(text, self.analyze(text), keep)
        redacted = replace_entities(
            text, entities, lambda entity, value: vault.placeholder_for(entity.type, value)
        )
        return Redaction(text=redacted, entities=tuple(entities))

    def check(self, text: str) -> Verdict:
        """The guard contract: always allowed, with the redacted text and counts by type."""
        redaction = self.redact(text)
        counts = Counter(entity.type for entity in redaction.entities)
        return Verdict(
            allowed=True,
            text=redaction.text,
            reasons=tuple(f"pii:{entity_type}" for entity_type in sorted(counts)),
            category="pii" if counts else "ok",
            details={f"entities.{entity_type}": n for entity_type, n in sorted(counts.items())},
        )

    def _resolve(self, text: str, entity: Entity, protected: list[Span]) -> list[Entity]:
        """A reference wins where it overlaps a finding: the finding keeps its other parts.
        Secrets, cards and the like are redacted even inside a reference."""
        overlapping = [(s, e) for s, e in protected if entity.overlaps(s, e)]
        if entity.type in self._unprotectable or not overlapping:
            return [entity]
        return parts_outside(text, entity, overlapping)


_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]{2,}")


_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z]\.[ \t]?$")


def with_initial(text: str, entity: Entity) -> Entity:
    """A person with the initial written before the name found ('T. Nakamura')."""
    initial = _INITIAL_BEFORE.search(text, max(0, entity.start - 3), entity.start)
    if entity.type != "PERSON" or initial is None:
        return entity
    return Entity(entity.type, initial.start(), entity.end, entity.score)


def coordinated_persons(text: str, entities: list[Entity]) -> list[Entity]:
    """Given names listed with a person found ('Joy and Rose'), as persons too, where they
    overlap no other finding."""
    persons = [(e.start, e.end) for e in entities if e.type == "PERSON"]
    return [
        Entity("PERSON", start, end, 0.6)
        for start, end in coordinated_names(text, persons)
        if not any(e.overlaps(start, end) for e in entities)
    ]


def repeated_name_words(text: str, entities: list[Entity]) -> list[Entity]:
    """Each capitalised word of a name found once, wherever else it stands alone in the
    text ('...sung by Freddie Whittaker. Whittaker was...'), as a person too."""
    words = {
        match.group()
        for entity in entities
        if entity.type == "PERSON"
        for match in _NAME_WORD.finditer(text, entity.start, entity.end)
        if match.group()[0].isupper() and refine_person_span(text, *match.span()) is not None
    }
    return [
        Entity("PERSON", match.start(), match.end(), 0.6)
        for word in words
        for match in re.finditer(rf"(?<![\w'’\-]){re.escape(word)}(?![\w\-])", text)
        if not any(e.overlaps(match.start(), match.end()) for e in entities)
    ]


def parts_outside(text: str, entity: Entity, protected: list[Span]) -> list[Entity]:
    """The parts of ``entity`` outside every protected span, trimmed of spaces and
    punctuation; parts without a letter or digit are dropped."""
    pieces = [(entity.start, entity.end)]
    for start, end in protected:
        pieces = [
            part
            for left, right in pieces
            for part in ((left, min(right, start)), (max(left, end), right))
            if part[1] > part[0]
        ]
    return [
        Entity(entity.type, *_trimmed(text, piece), entity.score)
        for piece in pieces
        if any(ch.isalnum() for ch in text[piece[0] : piece[1]])
    ]


_EDGE = " \t\n,;:.-()#"


def _trimmed(text: str, span: Span) -> Span:
    """``span`` without spaces and punctuation at either end."""
    value = text[span[0] : span[1]]
    start = span[0] + len(value) - len(value.lstrip(_EDGE))
    return start, span[0] + len(value.rstrip(_EDGE))
