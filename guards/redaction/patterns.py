"""A small Presidio recognizer driven by regexes whose ``value`` group is the finding.

Presidio's own `PatternRecognizer` reports the whole match; customer-support data is
usually announced ("my password is ...", "born on ..."), so the announcement must be
matched but not redacted. Each `KeyedPattern` reports only its ``value`` group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

Validator = Callable[[str], bool]


def always_valid(value: str) -> bool:
    """The validator for patterns that need no further check."""
    return True


@dataclass(frozen=True)
class KeyedPattern:
    """One regex, the score a match gets, and a check the matched value must pass."""

    name: str
    regex: re.Pattern[str]
    score: float
    validate: Validator = always_valid
    retry_inside: bool = False
    """Whether a match that fails validation is tried again from its next character: 'place
    is Istedgade 17' is no street, 'Istedgade 17' is."""

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``value`` group (or whole match) of every match that passes validation."""
        found, position = [], 0
        group = "value" if "value" in self.regex.groupindex else 0
        while (match := self.regex.search(text, position)) is not None:
            start, end = match.span(group)
            valid = end > start and self.validate(text[start:end])
            if valid:
                found.append((start, end))
            retry = self.retry_inside and not valid
            position = match.start() + 1 if retry else max(match.end(), match.start() + 1)
        return found


def make_result(
    recognizer: LocalRecognizer, span: tuple[int, int], score: float, why: str
) -> RecognizerResult:
    """A Presidio result from ``recognizer``, explained so context words can boost it."""
    name: str = getattr(recognizer, "name", type(recognizer).__name__)
    return RecognizerResult(
        entity_type=recognizer.supported_entities[0],
        start=span[0],
        end=span[1],
        score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=name, original_score=score, textual_explanation=why
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


class KeyedPatternRecognizer(LocalRecognizer):
    """A recognizer for one entity type made of `KeyedPattern` s and context words."""

    def __init__(
        self, entity_type: str, patterns: list[KeyedPattern], context: list[str] | None = None
    ) -> None:
        self.patterns = patterns
        super().__init__(
            supported_entities=[entity_type],
            name=f"{entity_type.title().replace('_', '')}Recognizer",
            context=context or [],
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled already."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every validated match of every pattern, as Presidio results."""
        return [
            make_result(self, span, pattern.score, pattern.name)
            for pattern in self.patterns
            for span in pattern.spans(text)
        ]
