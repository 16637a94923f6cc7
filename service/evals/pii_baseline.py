"""Presidio's default `AnalyzerEngine` as a redactor, the yardstick `eval pii --baseline` shows.

Default recognizers and the default spaCy entity mapping, on the same local spaCy model as
ours; only the e-mail recognizer is swapped for the same rule validated offline (the default
one would try to download the public-suffix list). Every finding above the default threshold
is replaced by ``<TYPE>``, whatever its type.
"""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from guards.redaction import Entity, Redaction, RedactionConfig
from guards.redaction.engine import resolve_model_path, silence_content_logging
from guards.redaction.recognizers import OfflineEmailRecognizer
from guards.redaction.redactor import merge_overlapping, replace_entities


def default_analyzer(config: RedactionConfig) -> AnalyzerEngine:
    """Presidio's defaults on our spaCy model, offline."""
    silence_content_logging()
    model = str(resolve_model_path(config.nlp_model))
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": config.language, "model_name": model}])
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[config.language])
    registry.load_predefined_recognizers(languages=[config.language], nlp_engine=nlp_engine)
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(OfflineEmailRecognizer())
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine)


class PresidioDefaultRedactor:
    """Redacts everything Presidio's default analyzer finds."""

    def __init__(self, config: RedactionConfig | None = None) -> None:
        self.config = config or RedactionConfig()
        self._analyzer = default_analyzer(self.config)

    def redact(self, text: str) -> Redaction:
        results = self._analyzer.analyze(text=text, language=self.config.language)
        found = [Entity(r.entity_type, r.start, r.end, float(r.score)) for r in results]
        entities = merge_overlapping(found)
        return Redaction(replace_entities(text, entities, _type_placeholder), tuple(entities))


def _type_placeholder(entity: Entity, value: str) -> str:
    return f"<{entity.type}>"
