"""The handoff policy: given a message, its intent and what the graph knows, who answers?

Hard signals (an explicit request for a person, fraud, legal threats, safety, data-protection
requests, repeated guard blocks, abuse, the model server down) hand off at once. Softer ones
(strong frustration, the same intent three turns running, low confidence twice) keep the
assistant answering but offer a person, once. The rules live in `handoff_policy.yaml`; every
decision says which of them fired.

Messages are matched four ways: regular expressions (on the text as written and with misspelt
keywords fixed), the classifier's own `contact_human_agent` intent, closeness in meaning to
example sentences (MiniLM embeddings), and, when none of those is certain, the trained handoff
model (`handoff_model.py`), which knows the broader families a person must handle (hardship,
privacy incidents, chargebacks, bereavement...). Clauses in which the customer declines a
person ("I don't need a human, just tell me...") are set aside before any of them looks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from graphs.routing.handoff_model import HandoffModel
from graphs.routing.intents import IntentPrediction
from graphs.routing.text import fold_accents, strip_placeholders, tokens
from guards.embeddings import SentenceEncoder, english_words, shared_encoder

DEFAULT_POLICY_FILE = Path(__file__).parent / "handoff_policy.yaml"

Route = Literal["assistant", "handoff"]
BOT_FAILURE = "bot_failure"
"""The handoff model's family for the assistant failing the customer (no rule names it)."""


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
    assistant_repeated: bool = False  # an assistant reply restated an earlier one (or both
    # said they did not understand): the bot is going in circles


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
    only_if: list[str] = []  # patterns of which one must match too (none: no condition)
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
    withdrawn_request_patterns: list[str]
    assistant_offer_patterns: list[str]
    fuzzy_keywords: list[str]
    fuzzy_ignore: list[str]
    similar_to: dict[str, list[str]]
    similarity_threshold: float
    handoff_model_threshold: float
    declined_human_patterns: list[str]
    about_assistant_patterns: list[str]
    hypothetical_patterns: list[str]
    reported_patterns: list[str]
    negated_patterns: list[str]
    not_understood_patterns: list[str]
    repeated_reply_overlap: float
    closing_patterns: list[str]
    question_patterns: list[str]

    def all_patterns(self) -> list[str]:
        """Every regular expression in the policy."""
        groups = [*self.handoff_rules.values(), *self.offer_rules.values()]
        groups += [rule.only_if + rule.unless for rule in self.handoff_intents.values()]
        groups += [self.accept_offer_patterns, self.assistant_offer_patterns]
        groups += [self.withdrawn_request_patterns]
        groups += [self.declined_human_patterns, self.about_assistant_patterns]
        groups += [self.hypothetical_patterns, self.reported_patterns, self.negated_patterns]
        groups += [self.not_understood_patterns, self.closing_patterns, self.question_patterns]
        return [pattern for group in groups for pattern in group]


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


_CLAUSE_BREAK = re.compile(r"[,.;:!?\n]+|\s[-–]\s|\b(?:but|just|only|though|although)\b", re.I)
_REGEX_ESCAPE = re.compile(r"\\[a-zA-Z]")
_LITERAL_WORD = re.compile(r"[a-z]{5,}")


def pattern_words(patterns: Iterable[str]) -> set[str]:
    """Words of five letters or more spelled out in regular expressions (and their singulars)."""
    words: set[str] = set()
    for pattern in patterns:
        words.update(_LITERAL_WORD.findall(_REGEX_ESCAPE.sub(" ", pattern)))
    return words | {word[:-1] for word in words if word.endswith("s") and len(word) > 5}


class SimilarExamples:
    """Named groups of example sentences; reports the groups a text means nearly the same as.

    Catches paraphrases no pattern foresaw ("someone made purchases with my account").
    """

    def __init__(
        self, examples_by_name: dict[str, list[str]], threshold: float, encoder: SentenceEncoder
    ) -> None:
        self._encoder = encoder
        self._threshold = threshold
        self._embedded = {name: encoder.encode(texts) for name, texts in examples_by_name.items()}

    def matching(self, text: str) -> list[str]:
        """The names with an example at least `threshold` similar (cosine) to `text`."""
        embedding = self._encoder.encode([text.lower()])[0]
        return [
            name
            for name, examples in self._embedded.items()
            if len(examples) and float((examples @ embedding).max()) >= self._threshold
        ]


class KeywordSpelling:
    """Fixes misspelt keywords: "humna" -> "human", "transaptions" -> "transactions".

    Real words (`protected`: an English word list and the policy's own exceptions) are never
    changed, so "explore" stays "explore" though it is one letter away from "explode".
    """

    def __init__(self, keywords: Iterable[str], protected: Iterable[str]) -> None:
        self._keywords = sorted(set(keywords))
        self._known = frozenset(protected) | set(keywords)

    def variants(self, text: str) -> tuple[str, str]:
        """`text` as lower-case, accent-free tokens: as written, and with keywords fixed."""
        words = tokens(text)
        return " ".join(words), " ".join(self._fix_word(word) for word in words)

    def _fix_word(self, word: str) -> str:
        if len(word) < 5 or word in self._known or not word.isalpha():
            return word
        close = []  # (edits, length difference, keyword): the nearest, same length first
        for keyword in self._keywords:
            distance = self._misspelling_distance(word, keyword)
            if distance is not None:
                close.append((distance, abs(len(keyword) - len(word)), keyword))
        return min(close)[2] if close else word

    @staticmethod
    def _misspelling_distance(word: str, keyword: str) -> int | None:
        """The edit distance when `word` may be a misspelling of `keyword`, else None."""
        allowed = 2 if len(keyword) >= 9 else 1
        if word[0] != keyword[0] or abs(len(word) - len(keyword)) > allowed:
            return None
        distance = edit_distance(word, keyword)
        return distance if distance <= allowed else None


class HandoffPolicy:
    """Decides between the assistant and a person for one customer turn."""

    def __init__(
        self,
        config: PolicyConfig,
        encoder: SentenceEncoder | None = None,
        model: HandoffModel | None = None,
    ) -> None:
        self.config = config
        self._model = model or HandoffModel.load()
        self._asides = PatternRules(
            {
                "human_declined": config.declined_human_patterns,
                "asked_about_assistant": config.about_assistant_patterns,
                "hypothetical": config.hypothetical_patterns,
                "reported_not_requested": config.reported_patterns,
                "negated": config.negated_patterns,
            }
        )
        self._similar = SimilarExamples(
            config.similar_to, config.similarity_threshold, encoder or shared_encoder()
        )
        self._handoff_rules = PatternRules(config.handoff_rules)
        self._offer_rules = PatternRules(config.offer_rules)
        self._accepts_offer = PatternRules({"accepted_human_offer": config.accept_offer_patterns})
        self._withdraws = PatternRules({"request_withdrawn": config.withdrawn_request_patterns})
        self._offers_human = PatternRules({"offer": config.assistant_offer_patterns})
        self._not_understood = PatternRules({"not_understood": config.not_understood_patterns})
        self._closing = PatternRules({"closing": config.closing_patterns})
        self._question = PatternRules({"question": config.question_patterns})
        self._spelling = KeywordSpelling(
            [*config.fuzzy_keywords, *pattern_words(config.all_patterns())],
            [*config.fuzzy_ignore, *english_words()],
        )
        rules = config.handoff_intents.items()
        self._intent_conditions = PatternRules({name: rule.only_if for name, rule in rules})
        self._intent_vetoes = PatternRules({name: rule.unless for name, rule in rules})

    @classmethod
    def from_yaml(cls, path: Path | None = None, cache_dir: Path | None = None) -> HandoffPolicy:
        """Load a policy file (None: the shipped `handoff_policy.yaml`) and the handoff model
        cached in `cache_dir` (None: `var/models`)."""
        with (path or DEFAULT_POLICY_FILE).open(encoding="utf-8") as handle:
            config = PolicyConfig.model_validate(yaml.safe_load(handle))
        return cls(config, shared_encoder(cache_dir), HandoffModel.load(cache_dir))

    @property
    def low_confidence_threshold(self) -> float:
        """Below this intent confidence a turn counts as low confidence."""
        return self.config.low_confidence_threshold

    def offers_human(self, assistant_message: str) -> bool:
        """Whether an assistant message offers to bring in a person."""
        return bool(self._offers_human.matching(*self._spelling.variants(assistant_message)))

    def withdraws_request(self, customer_message: str) -> bool:
        """Whether a message takes back a request for a person ("oh never mind, I found it",
        "actually, can you just tell me..."), or declines one."""
        text = strip_placeholders(customer_message)
        declined = "human_declined" in self._without_asides(text)[1]
        return declined or bool(self._withdraws.matching(*self._spelling.variants(text)))

    def assistant_repeated(self, assistant_messages: list[str]) -> bool:
        """Whether a reply restates an earlier one (most of its words again), or two replies
        say they did not understand: the customer writing again is going in circles."""
        keys = [self._reply_words(message) for message in assistant_messages]
        return any(
            _overlap(key, earlier) >= self.config.repeated_reply_overlap
            for index, key in enumerate(keys)
            for earlier in keys[:index]
        )

    def _reply_words(self, assistant_message: str) -> frozenset[str]:
        """The words of a reply; every "sorry, I didn't understand" reads as the same one."""
        if self._not_understood.matching(assistant_message):
            return frozenset({"<not_understood>"})
        return frozenset(tokens(strip_placeholders(assistant_message)))

    def decide(self, text: str, prediction: IntentPrediction, signals: Signals) -> RouteDecision:
        """Route one customer message (already redacted) given its intent and the signals."""
        request, declined = self._without_asides(strip_placeholders(text))
        message = self._spelling.variants(request)
        handoff_reasons = self._handoff_reasons(message, prediction, signals)
        handoff_reasons += self._written_reasons(request, handoff_reasons)
        if self._in_circles(request, signals) and not self._question.matching(request):
            handoff_reasons.append("assistant_going_in_circles")
        handoff_reasons = handoff_reasons or self._meaning_reasons(message)
        grumble = self._grumble_beside_a_question(handoff_reasons, request, signals)
        if handoff_reasons and not grumble:
            return _decision("handoff", prediction, handoff_reasons)
        soft_reasons = grumble + self._offer_reasons(text, message, prediction, signals)
        if not soft_reasons:
            return _decision("assistant", prediction, declined or ["no_handoff_signal"])
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

    def _written_reasons(self, request: str, found: list[str]) -> list[str]:
        """Rules matched on the message as written (lower case, with and without accents), not
        as word tokens: scripts such as Cyrillic or Chinese ("оператор", "人工客服") and letters
        such as the Polish "ł" are split into single characters by the tokens."""
        written = request.lower(), fold_accents(request).lower()
        return [name for name in self._handoff_rules.matching(*written) if name not in found]

    def _without_asides(self, text: str) -> tuple[str, list[str]]:
        """The message without its clauses declining a person ("I don't need a human, just
        tell me the delivery options"), asking about the assistant ("are you a real person?")
        or supposing ("what if someone used my card, would I be covered?"), telling of a person
        talked to before ("my friend had to speak to a supervisor") or denying a threat ("I'm
        not going to sue anyone"), and the reasons for what was set aside."""
        clauses = [clause for clause in _CLAUSE_BREAK.split(text) if clause.strip()]
        asides = [self._asides.matching(clause) for clause in clauses]
        kept = [clause for clause, found in zip(clauses, asides, strict=True) if not found]
        reasons = list(dict.fromkeys(name for found in asides for name in found))
        return (text if not reasons else ", ".join(kept)), reasons

    def _grumble_beside_a_question(
        self, reasons: list[str], request: str, signals: Signals
    ) -> list[str]:
        """A dig at the assistant that only the model read as it failing ("you bots are all
        the same. does it roll over?") beside a question it can answer: the question is
        answered and a person offered (blind set v4: 3 of 11 false handoffs). Not once the
        bot has repeated itself: "are you even reading what I write??" is then earned."""
        question = bool(self._question.matching(request))
        if reasons == [BOT_FAILURE] and question and not signals.assistant_repeated:
            return ["bot_criticised_beside_a_question"]
        return []

    def _meaning_reasons(self, message: tuple[str, str]) -> list[str]:
        """Reasons found by meaning: near an example sentence, else the handoff model's family."""
        similar = self._similar.matching(message[1])
        if similar or not message[0].strip():
            return similar
        reading = self._model.score(message[0])
        return (
            [reading.family] if reading.probability >= self.config.handoff_model_threshold else []
        )

    def _intent_reasons(self, message: tuple[str, str], prediction: IntentPrediction) -> list[str]:
        rule = self.config.handoff_intents.get(prediction.intent)
        if rule is None or prediction.confidence < rule.min_confidence:
            return []
        met = not rule.only_if or prediction.intent in self._intent_conditions.matching(*message)
        vetoed = prediction.intent in self._intent_vetoes.matching(*message)
        return [rule.reason] if met and not vetoed else []

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
        if self._in_circles(text, signals):  # a new question: answer it, but offer a person
            reasons.append("assistant_going_in_circles")
        if self._is_shouting(text):
            reasons.append("strong_frustration")
        confident = prediction.confidence >= self.low_confidence_threshold
        repeats = self.config.offer_after_repeated_intent_turns
        if confident and signals.repeated_intent_turns >= repeats:
            reasons.append("same_intent_repeated")
        if (
            not confident
            and signals.low_confidence_turns >= self.config.offer_after_low_confidence_turns
        ):
            reasons.append("low_confidence_twice")
        return list(dict.fromkeys(reasons))

    def _in_circles(self, text: str, signals: Signals) -> bool:
        """The bot repeated itself and the customer writes again without closing ("thanks,
        that worked"). A new question is answered with a person offered; anything else (the
        problem restated, "no it isn't. stop") goes to a person."""
        return signals.assistant_repeated and not self._closing.matching(text)

    def _is_shouting(self, text: str) -> bool:
        letters = [char for char in strip_placeholders(text) if char.isalpha()]
        if len(letters) < self.config.shouting_min_letters:
            return False
        capitals = sum(char.isupper() for char in letters)
        return capitals / len(letters) >= self.config.shouting_capital_share


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """Shared words over all words of the two (Jaccard), 0..1."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


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
