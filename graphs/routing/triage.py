"""Triage: the intent classifier and the handoff policy together, as the graph calls them.

`Triage.route` decides the latest customer turn. `Triage.route_conversation` replays a whole
transcript turn by turn, as the graph would have seen it, and stops at the first handoff
(the `guardchat route` filter's adapter, `service.filter_records.route_record`, calls it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from graphs.routing.intents import IntentClassifier, IntentPrediction
from graphs.routing.policy import HandoffPolicy, RouteDecision, Signals

WITHDRAWABLE_REASONS = frozenset({"explicit_human_request", "accepted_human_offer"})
"""Handoffs the customer may take back; a threat, a fraud or a safety matter stays handed off."""


@dataclass(frozen=True)
class Message:
    """One message of a transcript."""

    role: str  # "user" | "assistant"
    content: str


class Triage:
    """Classifier plus policy: who should answer the customer's latest message."""

    def __init__(self, classifier: IntentClassifier, policy: HandoffPolicy) -> None:
        self.classifier = classifier
        self.policy = policy

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> Triage:
        """The shipped intent classifier, handoff policy and handoff model, cached in
        `cache_dir` (None: `var/models`)."""
        return cls(IntentClassifier.load(cache_dir), HandoffPolicy.from_yaml(None, cache_dir))

    def category_of(self, intent: str) -> str:
        """The Bitext category of `intent`, as the classifier was trained."""
        return self.classifier.category_of(intent)

    def route(
        self, text: str, history: list[str] | None = None, signals: Signals | None = None
    ) -> RouteDecision:
        """Decide the latest message `text`; `history` holds the earlier customer messages.

        Counts the policy needs (repeated intent, low-confidence turns) are taken from
        `history` when given; the larger of those and the ones in `signals` wins.
        """
        predictions = self.classifier.predict_many([*(history or []), text])
        given = signals or Signals()
        derived = self._history_signals(predictions[:-1], predictions[-1])
        merged = replace(
            given,
            low_confidence_turns=max(given.low_confidence_turns, derived.low_confidence_turns),
            repeated_intent_turns=max(given.repeated_intent_turns, derived.repeated_intent_turns),
        )
        return self.policy.decide(text, predictions[-1], merged)

    def route_conversation(self, messages: list[Message]) -> RouteDecision:
        """Replay the customer turns in order; the first handoff the customer does not take
        back at their next turn (see `_withdrawn`), else the last turn's decision."""
        user_turns = [index for index, message in enumerate(messages) if message.role == "user"]
        if not user_turns:
            raise ValueError("a conversation needs at least one user message")
        predictions = self.classifier.predict_many([messages[i].content for i in user_turns])
        decision: RouteDecision | None = None
        for turn, index in enumerate(user_turns):
            signals = self._transcript_signals(messages[:index], predictions[: turn + 1], decision)
            decision = self.policy.decide(messages[index].content, predictions[turn], signals)
            if decision.route == "handoff" and not self._withdrawn(decision, messages, index):
                break
        assert decision is not None
        return decision

    def _withdrawn(self, decision: RouteDecision, messages: list[Message], index: int) -> bool:
        """A request for a person and nothing else, which the customer's next message takes
        back ("oh never mind, I found it"): the assistant answered in between, so the
        transcript shows the customer staying with it."""
        if not set(decision.reasons) <= WITHDRAWABLE_REASONS:
            return False
        later = [m.content for m in messages[index + 1 :] if m.role == "user"]
        return bool(later) and self.policy.withdraws_request(later[0])

    def _history_signals(
        self, earlier: list[IntentPrediction], current: IntentPrediction
    ) -> Signals:
        threshold = self.policy.low_confidence_threshold
        repeated = 0
        for previous in reversed(earlier):
            if previous.intent != current.intent or previous.confidence < threshold:
                break
            repeated += 1
        low = sum(prediction.confidence < threshold for prediction in earlier)
        return Signals(low_confidence_turns=low, repeated_intent_turns=repeated)

    def _transcript_signals(
        self,
        before: list[Message],
        predictions: list[IntentPrediction],
        last_decision: RouteDecision | None,
    ) -> Signals:
        offered_in_text = [
            m.role == "assistant" and self.policy.offers_human(m.content) for m in before
        ]
        offered_by_us = last_decision is not None and last_decision.offer_human
        replies = [m.content for m in before if m.role == "assistant"]
        return replace(
            self._history_signals(predictions[:-1], predictions[-1]),
            human_offered=any(offered_in_text) or offered_by_us,
            human_offer_pending=bool(offered_in_text) and offered_in_text[-1],
            assistant_repeated=self.policy.assistant_repeated(replies),
        )
