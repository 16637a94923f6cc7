"""The values redaction hands out: what was found (`Entity`) and the result (`Redaction`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """One piece of personal data found in a text (offsets into that text)."""

    type: str
    start: int
    end: int
    score: float

    def overlaps(self, start: int, end: int) -> bool:
        """Whether this entity shares at least one character with ``[start, end)``."""
        return self.start < end and start < self.end

    def holds(self, other: Entity) -> bool:
        """Whether ``other`` lies inside this entity, which is longer."""
        inside = self.start <= other.start and other.end <= self.end
        return inside and self.end - self.start > other.end - other.start


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the entities that were replaced (offsets into the original)."""

    text: str
    entities: tuple[Entity, ...]
