"""spaCy results for one text, with parts of speech and lemmas worked out only when asked for.

Most texts need only spaCy's named entities: parts of speech are read when a loose
introduction ("this is ...") precedes a lower-case word, and lemmas when a pattern
recognizer with context words found something. Tagging (tok2vec, tagger, attribute
ruler, lemmatizer) costs about as much as the entity recognizer, so it waits until then.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.tokens import Doc, Span

Tagger = Callable[[Doc], object]
"""Runs the deferred spaCy components (tagging, lemmas) over a doc in place."""


class LazyNlpArtifacts(NlpArtifacts):
    """Presidio's `NlpArtifacts`, tagging the doc on first use of lemmas or parts of speech."""

    def __init__(
        self,
        doc: Doc,
        entities: list[Span],
        scores: list[float],
        nlp_engine: NlpEngine,
        language: str,
        tagger: Tagger | None,
    ) -> None:
        # Presidio's constructor reads the lemmas (for keywords) at once: not called on purpose.
        self.entities = entities
        self.tokens = doc
        self.tokens_indices = [token.idx for token in doc]
        self.nlp_engine = nlp_engine
        self.scores = scores if scores else [0.85] * len(entities)
        self._language = language
        self._tagger = tagger
        self._lemmas: list[str] | None = None
        self._keywords: list[str] | None = None

    def ensure_tagged(self) -> None:
        """Run the deferred components over the doc (once)."""
        tagger, self._tagger = self._tagger, None
        if tagger is not None:
            tagger(self.tokens)

    @property
    def lemmas(self) -> list[str]:
        if self._lemmas is None:
            self.ensure_tagged()
            self._lemmas = [token.lemma_ for token in self.tokens]
        return self._lemmas

    @lemmas.setter
    def lemmas(self, lemmas: list[str]) -> None:
        self._lemmas = lemmas

    @property
    def keywords(self) -> list[str]:
        if self._keywords is None:
            self._keywords = self.set_keywords(self.nlp_engine, self.lemmas, self._language)
        return self._keywords

    @keywords.setter
    def keywords(self, keywords: list[str]) -> None:
        self._keywords = keywords

    def to_json(self) -> str:
        """As Presidio's, with the lemmas and keywords worked out first."""
        return json.dumps(
            {
                "entities": [entity.text for entity in self.entities],
                "tokens": [token.text for token in self.tokens],
                "lemmas": self.lemmas,
                "tokens_indices": self.tokens_indices,
                "keywords": self.keywords,
                "scores": [float(score) for score in self.scores],
            }
        )


class PartsOfSpeech:
    """The coarse part of speech of the spaCy token starting at each offset, looked up
    (and the doc tagged) only when first asked for; "" where no token starts there."""

    def __init__(self, nlp_artifacts: NlpArtifacts | None) -> None:
        self._artifacts = nlp_artifacts
        self._tags: dict[int, str] | None = None

    def at(self, start: int) -> str:
        if self._tags is None:
            self._tags = {}
            if self._artifacts is not None:
                if isinstance(self._artifacts, LazyNlpArtifacts):
                    self._artifacts.ensure_tagged()
                self._tags = {token.idx: token.pos_ for token in self._artifacts.tokens}
        return self._tags.get(start, "")
