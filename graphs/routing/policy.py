"""The handoff policy: given a message, its intent and what the graph knows, who answers?

Hard signals (an explicit request for a person, fraud, legal threats, safety, data-protection
requests, repeated guard blocks, abuse, the model server down) hand off at once. Softer ones
(strong frustration, the same intent three turns running, low confidence twice) keep the
assistant answering but offer a person, once. The rules live in `handoff_policy.yaml`; every
decision says which of them fired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from graphs.routing.intents import IntentPrediction
from graphs.routing.text import strip_placeholders, tokens

DEFAULT_POLICY_FILE = Path(__file__).parent / "handoff_policy.yaml"

Route = Literal["assistant", "handoff"]


@dataclass(frozen=True)
class Signals:
    """What the graph knows about the conversation so far, besides the text."""

    guard_blocks: int = 0  # input-guard blocks in this conversation so far
    low_confidence_turns: int = 0  # earlier turns with confidence below threshold
    repeated_intent_turns: int = 0  # consecutive earlier turns with the same intent
    human_offered: bool = False  # a human was already offered once
    model_unavailable: bool = False
    abuse_flag: str | None = None  # "threat" | "slur" | None, from the input guard
    human_offer_pending: bool = False  # the assistant's last message offered a human


@dataclass(frozen=True)
class RouteDecision:
    """Who answers this turn, and why."""

    route: Route
    intent: str
    category: str
    confidence: float
    reasons: tuple[str, ...]  # e.g. ("explicit_human_request",), ("low_confidence_twice",)
    offer_human: bool = False  # soft signal: the assistant answers but offers a human (once)


class IntentRule(BaseModel):
    """Hand off when the classifier is at least this sure of an intent."""

    model_config = ConfigDict(extra="forbid")
    min_confidence: float
    reason: str
    unless: list[str] = []  # patterns that veto the rule


class PolicyConfig(BaseModel):
    """The contents of a handoff policy YAML file (see `handoff_policy.yaml`)."""

    model_config = ConfigDict(extra="forbid")
    low_confidence_threshold: float
    handoff_rules: dict[str, list[str]]
    handoff_intents: dict[str, IntentRule]
    guard_blocks_before_handoff: int
    abuse_flags_handed_off: list[str]
    offer_rules: dict[str, list[str]]
    offer_after_repeated_intent_turns: int
    offer_after_low_confidence_turns: int
    shouting_min_letters: int
    shouting_capital_share: float
    accept_offer_patterns: list[str]
    assistant_offer_patterns: list[str]
    fuzzy_keywords: list[str]
    fuzzy_ignore: list[str]


class PatternRules:
    """Named groups of regular expressions; reports which groups match a text."""

    def __init__(self, patterns_by_name: dict[str, list[str]]) -> None:
        self._compiled = {
            name: [re.compile(pattern, re.IGNORECASE) for pattern in patterns]
            for name, patterns in patterns_by_name.items()
        }

    def matching(self, *texts: str) -> list[str]:
        """The names whose patterns match any of `texts`, in the order they were given."""
        return [
            name
            for name, patterns in self._compiled.items()
            if any(pattern.search(text) for pattern in patterns for text in texts)
        ]


def edit_distance(first: str, second: str) -> int:
    """Insertions, deletions, replacements and swaps of neighbours turning one into the other."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class KeywordSpelling:
    """Fixes misspellings of a few policy keywords: "humna" -> "human", "lawyr" -> "lawyer"."""

    def __init__(self, keywords: Iterable[str], ignored: Iterable[str]) -> None:
        self._keywords = sorted(set(keywords))
        self._known = frozenset(ignored) | set(keywords)

    def variants(self, text: str) -> tuple[str, str]:
        """`text` as lower-case, accent-free tokens: as written, and with keywords fixed."""
        words = tokens(text)
        return " ".join(words), " ".join(self._fix_word(word) for word in words)

    def _fix_word(self, word: str) -> str:
        if len(word) < 5 or word in self._known or not word.isalpha():
            return word
        for keyword in self._keywords:
            if self._is_misspelling(word, keyword):
                return keyword
        return word

    @staticmethod
    def _is_misspelling(word: str, keyword: str) -> bool:
        allowed = 2 if len(keyword) >= 9 else 1
        if word[0] != keyword[0] or abs(len(word) - len(keyword)) > allowed:
            return False
        return edit_distance(word, keyword) <= allowed


class HandoffPolicy:
    """Decides between the assistant and a person for one customer turn."""

    def __init__(self, config: PolicyConfig) -> None:
        self.config = config
        self._handoff_rules = PatternRules(config.handoff_rules)
        self._offer_rules = PatternRules(config.offer_rules)
        self._accepts_offer = PatternRules({"accepted_human_offer": config.accept_offer_patterns})
        self._offers_human = PatternRules({"offer": config.assistant_offer_patterns})
        self._spelling = KeywordSpelling(config.fuzzy_keywords, config.fuzzy_ignore)
        self._intent_vetoes = PatternRules(
            {intent: rule.unless for intent, rule in config.handoff_intents.items()}
        )

    @classmethod
    def from_yaml(cls, path: Path | None = None) -> HandoffPolicy:
        """Load a policy file; None means the shipped `handoff_policy.yaml`."""
        with (path or DEFAULT_POLICY_FILE).open(encoding="utf-8") as handle:
            return cls(PolicyConfig.model_validate(yaml.safe_load(handle)))

    @property
    def low_confidence_threshold(self) -> float:
        """Below this intent confidence a turn counts as low confidence."""
        return self.config.low_confidence_threshold

    def offers_human(self, assistant_message: str) -> bool:
        """Whether an assistant message offers to bring in a person."""
        return bool(self._offers_human.matching(*self._spelling.variants(assistant_message)))

    def decide(self, text: str, prediction: IntentPrediction, signals: Signals) -> RouteDecision:
        """Route one customer message (already redacted) given its intent and the signals."""
        message = self._spelling.variants(strip_placeholders(text))
        handoff_reasons = self._handoff_reasons(message, prediction, signals)
        if handoff_reasons:
            return _decision("handoff", prediction, handoff_reasons)
        soft_reasons = self._offer_reasons(text, message, prediction, signals)
        if not soft_reasons:
            return _decision("assistant", prediction, ["no_handoff_signal"])
        if signals.human_offered:
            return _decision("assistant", prediction, [*soft_reasons, "human_already_offered"])
        return _decision("assistant", prediction, soft_reasons, offer_human=True)

    def _handoff_reasons(
        self, message: tuple[str, str], prediction: IntentPrediction, signals: Signals
    ) -> list[str]:
        reasons = self._signal_reasons(signals) + self._handoff_rules.matching(*message)
        reasons += self._intent_reasons(message, prediction)
        if signals.human_offer_pending:
            reasons += self._accepts_offer.matching(*message)
        return list(dict.fromkeys(reasons))

    def _intent_reasons(self, message: tuple[str, str], prediction: IntentPrediction) -> list[str]:
        rule = self.config.handoff_intents.get(prediction.intent)
        if rule is None or prediction.confidence < rule.min_confidence:
            return []
        vetoed = prediction.intent in self._intent_vetoes.matching(*message)
        return [] if vetoed else [rule.reason]

    def _signal_reasons(self, signals: Signals) -> list[str]:
        reasons = []
        if signals.model_unavailable:
            reasons.append("model_unavailable")
        if signals.guard_blocks >= self.config.guard_blocks_before_handoff:
            reasons.append("repeated_guard_blocks")
        if signals.abuse_flag in self.config.abuse_flags_handed_off:
            reasons.append(f"abuse_{signals.abuse_flag}")
        return reasons

    def _offer_reasons(
        self,
        text: str,
        message: tuple[str, str],
        prediction: IntentPrediction,
        signals: Signals,
    ) -> list[str]:
        reasons = self._offer_rules.matching(*message)
        if self._is_shouting(text):
            reasons.append("strong_frustration")
        confident = prediction.confidence >= self.low_confidence_threshold
        repeats = self.config.offer_after_repeated_intent_turns
        if confident and signals.repeated_intent_turns >= repeats:
            reasons.append("same_intent_repeated")
        if not confident and signals.low_confidence_turns >= self.config.offer_after_low_confidence_turns:
            reasons.append("low_confidence_twice")
        return list(dict.fromkeys(reasons))

    def _is_shouting(self, text: str) -> bool:
        letters = [char for char in strip_placeholders(text) if char.isalpha()]
        if len(letters) < self.config.shouting_min_letters:
            return False
        capitals = sum(char.isupper() for char in letters)
        return capitals / len(letters) >= self.config.shouting_capital_share


def _decision(
    route: Route, prediction: IntentPrediction, reasons: list[str], offer_human: bool = False
) -> RouteDecision:
    return RouteDecision(
        route=route,
        intent=prediction.intent,
        category=prediction.category,
        confidence=prediction.confidence,
        reasons=tuple(reasons),
        offer_human=offer_human,
    )
