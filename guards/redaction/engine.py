"""Building the Presidio analyzer once, offline: a local spaCy model and our recognizers."""

from __future__ import annotations

import importlib.util
import logging
from functools import partial
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)
from spacy.pipeline import Lemmatizer

from guards.redaction import recognizers
from guards.redaction.addresses import address_recognizer
from guards.redaction.artifacts import LazyNlpArtifacts
from guards.redaction.config import RedactionConfig
from guards.redaction.credentials import password_recognizer
from guards.redaction.names import (
    MislabelledNameRecognizer,
    NameRecognizer,
    SpacyPersonRecognizer,
)
from guards.redaction.numbers import card_recognizer, iban_recognizer

_UNUSED_SPACY_PIPES = ["parser"]
"""Presidio needs tokens, lemmas and entities; the dependency parser only costs time."""

_DEFERRABLE_SPACY_PIPES = frozenset(
    {"tok2vec", "tagger", "morphologizer", "attribute_ruler", "lemmatizer"}
)
"""Components only parts of speech and lemmas come from: run when something reads those."""


_IGNORED_SPACY_LABELS = [
    *("ORG", "PRODUCT", "DATE", "TIME", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART"),
    *("LAW", "LANGUAGE", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"),
]
"""Organisations, products, dates and the like are not personal data here."""


class RedactionSetupError(RuntimeError):
    """The analyzer cannot be built as configured (for instance, the spaCy model is missing)."""


def resolve_model_path(model: str) -> Path:
    """The directory of a spaCy model given as a path or an installed package name."""
    path = Path(model)
    if not path.exists():
        spec = importlib.util.find_spec(model) if model.isidentifier() else None
        if spec is None or spec.origin is None:
            raise RedactionSetupError(f"spaCy model {model!r} is neither a directory nor installed")
        path = Path(spec.origin).parent
    if (path / "config.cfg").exists():
        return path
    nested = sorted(p for p in path.iterdir() if (p / "config.cfg").exists())
    if not nested:
        raise RedactionSetupError(f"no spaCy model (config.cfg) found under {path}")
    return nested[-1]


class LocalSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine loading a model from disk only (never downloading one)."""

    def __init__(self, model_path: Path, language: str) -> None:
        super().__init__(
            models=[{"lang_code": language, "model_name": str(model_path)}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON"},
                labels_to_ignore=_IGNORED_SPACY_LABELS,
            ),
        )
        self._model_path = model_path
        self._language = language
        self._deferred: tuple[str, ...] = ()
        self._eager: tuple[str, ...] = ()

    def load(self) -> None:
        """Load the model from its directory, without the pipes Presidio does not use."""
        model = spacy.load(self._model_path, exclude=_UNUSED_SPACY_PIPES)
        self.nlp = {self._language: model}  # type: ignore[assignment]
        self._deferred = _deferrable_pipes(model)
        self._eager = tuple(name for name in model.pipe_names if name not in self._deferred)

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Tokens and entities now; parts of speech and lemmas when first read."""
        if not self.nlp:
            raise ValueError("NLP engine is not loaded. Consider calling .load()")
        nlp: spacy.language.Language = self.nlp[language]
        doc = nlp(text, disable=self._deferred)
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        tagger = partial(nlp, disable=self._eager) if self._deferred else None
        return LazyNlpArtifacts(doc, entities, scores, self, language, tagger)


def _deferrable_pipes(model: spacy.language.Language) -> tuple[str, ...]:
    """The tagging components that can run after the entity recognizer, on demand (same
    results): none unless the recognizer is the only other component, does not listen to
    them (it has its own tok2vec in the small English models) and reads nothing they set."""
    deferred = tuple(name for name in model.pipe_names if name in _DEFERRABLE_SPACY_PIPES)
    if any(name not in deferred and name != "ner" for name in model.pipe_names):
        return ()
    for name in deferred:
        pipe = model.get_pipe(name)
        if any(c not in deferred for c in getattr(pipe, "listening_components", ())):
            return ()
        patterns = getattr(pipe, "patterns", ()) if name == "attribute_ruler" else ()
        if any("NORM" in pattern.get("attrs", {}) for pattern in patterns):
            return ()
    return deferred


def presidio_default_recognizers() -> list[EntityRecognizer]:
    """Presidio's default recognizers for our types (spaCy's PERSON is `SpacyPersonRecognizer`):
    everything they find is still found; ours only add to it."""
    return [
        recognizers.OfflineEmailRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        PhoneRecognizer(),
        UsSsnRecognizer(),
    ]


def english_words(model: spacy.language.Language) -> frozenset[str]:
    """The words of the model's lemma index (English nouns, verbs, adjectives, adverbs)."""
    if "lemmatizer" not in model.pipe_names:
        return frozenset()
    lemmatizer: Lemmatizer = model.get_pipe("lemmatizer")  # type: ignore[assignment]
    index = lemmatizer.lookups.get_table("lemma_index", {})
    return frozenset(word for forms in index.values() for word in forms)


def build_recognizers(
    config: RedactionConfig, english: frozenset[str] = frozenset()
) -> list[EntityRecognizer]:
    """Every recognizer the analyzer runs; ``english``: words no lone spaCy PERSON may be."""
    return [
        *presidio_default_recognizers(),
        SpacyPersonRecognizer(config.language, english),
        NameRecognizer(english),
        MislabelledNameRecognizer(english),
        card_recognizer(),
        iban_recognizer(),
        recognizers.phone_recognizer(),
        recognizers.ssn_recognizer(),
        address_recognizer(),
        recognizers.date_of_birth_recognizer(),
        password_recognizer(),
        recognizers.account_number_recognizer(),
    ]


# Presidio logs the words around each finding (raw customer text) at DEBUG: never let it.
CONTENT_LOGGERS = ("presidio-analyzer", "presidio-anonymizer")


def silence_content_logging() -> None:
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def build_analyzer(config: RedactionConfig) -> AnalyzerEngine:
    """The analyzer: local spaCy model, our recognizers, and context-word score boosts."""
    silence_content_logging()
    nlp_engine = LocalSpacyNlpEngine(resolve_model_path(config.nlp_model), config.language)
    nlp_engine.load()
    english = english_words(nlp_engine.nlp[config.language])  # type: ignore[index]
    registry = RecognizerRegistry(
        recognizers=build_recognizers(config, english), supported_languages=[config.language]
    )
    enhancer = LemmaContextAwareEnhancer(
        context_similarity_factor=config.context_boost,
        min_score_with_context_similarity=config.score_threshold + 0.05,
        context_prefix_count=6,
        context_suffix_count=2,
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[config.language],
        default_score_threshold=config.score_threshold,
        context_aware_enhancer=enhancer,
    )
