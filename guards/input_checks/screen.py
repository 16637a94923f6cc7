"""`InputScreen`: every customer turn passes here before anything else sees it.

Order of checks, cheapest first: size, garbage, injection rules (over every de-obfuscated
view of the text), then the trained classifier. Abuse never blocks: insults pass as they
are, threats and slurs pass with category ``abuse`` so the graph can route them to a human.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guards import abuse_terms
from guards.embeddings import SentenceEncoder
from guards.input_checks.classifier import InjectionClassifier, classified, load_classifier
from guards.input_checks.garbage import garbage_reason
from guards.input_checks.normalise import classifier_view, decoded_payloads, normalise, views_of
from guards.input_checks.rules import injection_reasons
from guards.verdict import Verdict

CUSTOMER_MESSAGES: dict[str, str] = {
    "injection": (
        "I'm sorry, I can't act on that request. I can help with orders, deliveries, refunds, "
        "payments or your account."
    ),
    "too_long": "Your message is too long. Please shorten it to {max_chars} characters or fewer.",
    "garbage": "Sorry, I couldn't understand that message. Could you rephrase your question?",
}
"""What the customer is told when a message is blocked, by category."""


@dataclass(frozen=True)
class InputGuardConfig:
    """Settings for `InputScreen`."""

    use_classifier: bool = True
    """Run the trained classifier after the rules (off: rules only)."""
    target_false_block_rate: float = 0.0075
    """The classifier's threshold blocks at most this share of the calibration set's customers."""


class InputScreen:
    """The input guard: injection, size and garbage block; abuse is labelled for routing."""

    name = "input"

    def __init__(
        self,
        config: InputGuardConfig | None = None,
        max_chars: int = 2000,
        cache_dir: Path | None = None,
    ) -> None:
        """``cache_dir``: where the trained classifier is kept (default ``var/models``)."""
        self.config = config or InputGuardConfig()
        self.max_chars = max_chars
        self._classifier: InjectionClassifier | None = None
        if self.config.use_classifier:
            self._classifier = load_classifier(
                cache_dir, target_false_block_rate=self.config.target_false_block_rate
            )

    @property
    def threshold(self) -> float:
        """The classifier score from which a message is blocked (1.0 when rules only)."""
        return self._classifier.threshold if self._classifier else 1.0

    @property
    def encoder(self) -> SentenceEncoder | None:
        """The sentence encoder the classifier uses (None when rules only)."""
        return self._classifier.encoder if self._classifier else None

    def check(self, text: str) -> Verdict:
        """The verdict on one customer message (possibly already redacted)."""
        if len(text) > self.max_chars:
            return _blocked(text, "too_long", "size:too_long", score=1.0, max_chars=self.max_chars)
        garbage = garbage_reason(normalise(text))
        if garbage:
            return _blocked(text, "garbage", f"garbage:{garbage}", score=1.0)
        reasons = injection_reasons(views_of(text))
        if reasons:
            return _blocked(text, "injection", *(f"injection:{r}" for r in reasons), score=1.0)
        probability = self._attack_probability(text)
        if self._classifier and self._classifier.is_attack(probability):
            return _blocked(text, "injection", "injection:classifier", score=probability)
        return _abuse_verdict(text, probability)

    def _attack_probability(self, text: str) -> float:
        """The classifier's highest score over the text and any payload decoded from it.

        Very short messages ("no, that's all") are left to the rules: they carry too little
        for the classifier to judge, and no attack the rules miss fits in a few words. Reference
        codes are read as such (`classifier_view`): a tracking number is not an attack.
        """
        payloads = decoded_payloads(normalise(text))
        candidates = [classifier_view(t) for t in (text, *payloads)]
        candidates = [c for c in candidates if classified(c)]
        if self._classifier is None or not candidates:
            return 0.0
        return max(self._classifier.attack_probabilities(candidates))


def _blocked(text: str, category: str, *reasons: str, score: float, max_chars: int = 0) -> Verdict:
    message = CUSTOMER_MESSAGES[category].format(max_chars=max_chars)
    return Verdict(
        allowed=False,
        text=text,
        reasons=(*reasons, message),
        score=score,
        category=category,
        details={"customer_message": message},
    )


def _abuse_verdict(text: str, attack_score: float) -> Verdict:
    """Allowed in every case; threats and slurs are labelled ``abuse`` for routing. Other
    messages carry the classifier's score (below its threshold) for the audit trail."""
    view = normalise(text)
    if abuse_terms.THREAT.search(view):
        return Verdict(True, text, ("abuse:threat",), 0.9, "abuse", {"abuse": "threat"})
    if abuse_terms.SLUR.search(view):
        return Verdict(True, text, ("abuse:slur",), 0.9, "abuse", {"abuse": "slur"})
    if abuse_terms.INSULT.search(view) or abuse_terms.PROFANITY.search(view):
        return Verdict(True, text, ("abuse:insult",), attack_score, "ok", {"abuse": "insult"})
    return Verdict(True, text, (), attack_score)
