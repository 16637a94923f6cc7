"""`OutputCheck`: every reply, whole or sentence by sentence, is reviewed before it is sent.

Blocking findings (leaked system prompt or canary, abuse, advice the bot may not give,
degenerate text) stop the reply. Fixable ones are fixed: requests for the customer's password
or card details replaced by a warning, foreign personal data removed,
``{{Slot}}`` templates filled or their sentence dropped, promises softened. The reply stays
redacted: the caller restores the customer's own placeholders at the very end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from guards.company_profile import CompanyProfile
from guards.output_check.degenerate import degenerate_reason, sentence_key
from guards.output_check.grounding import FactSources
from guards.output_check.meaning import REASONS, load_meaning_classifier
from guards.output_check.pii import ForeignPiiRemover
from guards.output_check.placeholders import remove_foreign_placeholders
from guards.output_check.rules import SOFTENED_PROMISE, block_reasons, is_promise
from guards.output_check.secrets import without_secret_requests
from guards.output_check.sentences import split_sentences
from guards.output_check.slots import SlotFiller
from guards.redaction import PlaceholderVault, Redactor
from guards.verdict import Verdict, tracer

SAFE_FALLBACK_REPLY = (
    "I'm sorry, I can't help with that here. "
    "Would you like me to connect you with a member of our support team?"
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_SCORES = {"pass": 0.0, "fix": 0.5, "block": 1.0}

Outcome = Literal["pass", "fix", "block"]
FixStep = Callable[[str, str, PlaceholderVault], tuple[str, list[str]]]
"""One fix: (text, customer's text, vault) -> (fixed text, reasons)."""
BLOCKING_MEANINGS = frozenset({"insult", "advice"})


@dataclass(frozen=True)
class OutputReview:
    """The outcome for one reply or sentence: the text to use and why it changed."""

    verdict: Outcome
    reply: str
    reasons: tuple[str, ...] = ()

    def to_verdict(self) -> Verdict:
        """The same outcome in the common guard contract."""
        category = self.reasons[0].split(":")[0] if self.reasons else "ok"
        return Verdict(
            allowed=self.verdict != "block",
            text=self.reply,
            reasons=self.reasons,
            score=_SCORES[self.verdict],
            category=category,
            details={"outcome": self.verdict},
        )


class OutputCheck:
    """The output guard: nothing unsafe, foreign or unfinished reaches the customer."""

    name = "output"

    def __init__(
        self,
        redactor: Redactor,
        profile: CompanyProfile,
        canary: str,
        knowledge: Sequence[str] = (),
        cache_dir: Path | None = None,
    ) -> None:
        """``knowledge``: the knowledge base's fact texts; figures in a reply must come from
        them, the profile or the customer. ``cache_dir``: where the meaning model is cached."""
        self.canary = canary
        self._pii = ForeignPiiRemover(redactor, profile)
        self._slots = SlotFiller(profile)
        self._facts = FactSources(profile, knowledge)
        self._meaning = load_meaning_classifier(cache_dir)

    def check(self, text: str) -> Verdict:
        """Guard contract: review ``text`` with no conversation behind it."""
        return self.review(text, user_text="", vault=PlaceholderVault()).to_verdict()

    def review(
        self,
        reply: str,
        *,
        user_text: str,
        vault: PlaceholderVault,
        facts: Sequence[str] | None = None,
    ) -> OutputReview:
        """Review a whole (redacted) reply to the customer's (redacted) ``user_text``;
        ``facts`` as in `review_sentence`."""
        whole = self.review_released(reply)
        if whole.verdict == "block":
            return whole
        return self._fix(reply, user_text, vault, facts=facts)

    def review_released(self, reply: str) -> OutputReview:
        """The last look at a streamed reply whose every sentence passed `review_sentence`.

        Each sentence was already fixed, so only what spans sentences is left to find:
        a loop, a leak or advice put together across sentences, an empty reply.
        """
        blocked = self._blocking_reasons(reply) or _degenerate(reply, split_sentences(reply))
        if blocked:
            return OutputReview("block", SAFE_FALLBACK_REPLY, tuple(blocked))
        return OutputReview("pass", reply)

    def review_sentence(
        self,
        sentence: str,
        *,
        user_text: str,
        vault: PlaceholderVault,
        released: list[str],
        facts: Sequence[str] | None = None,
    ) -> OutputReview:
        """Review one streamed sentence before release; ``released`` was already sent.
        ``facts``: the knowledge base facts retrieved for the turn, the only ones whose
        figures count as grounded (None: any in the knowledge base)."""
        if not sentence.strip():
            return OutputReview("pass", sentence)
        blocked = self._blocking_reasons(sentence) or _repeats_released(sentence, released)
        if blocked:
            return OutputReview("block", "", tuple(blocked))
        return self._fix(sentence, user_text, vault, allow_empty=True, facts=facts)

    def _blocking_reasons(self, text: str) -> list[str]:
        """Leaks, abuse and advice in ``text`` (after undoing invisible-character tricks)."""
        visible = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
        canary = ["leak:canary"] if self.canary and self.canary in visible else []
        return canary + block_reasons(visible)

    def _fix(
        self,
        text: str,
        user_text: str,
        vault: PlaceholderVault,
        allow_empty: bool = False,
        facts: Sequence[str] | None = None,
    ) -> OutputReview:
        """Fix what can be fixed (each step in its own span), then judge the meaning of what
        is left: insults and advice block, promises are softened."""
        fixed, reasons = text, list[str]()
        for name, step in self._fix_steps(facts):
            with tracer.start_as_current_span(f"output {name}"):
                fixed, found = step(fixed, user_text, vault)
            reasons += found
        with tracer.start_as_current_span("output meaning"):
            findings = self._meaning_findings(fixed)
        blocking = [REASONS[f] for f in findings.values() if f in BLOCKING_MEANINGS]
        if blocking:
            fallback = "" if allow_empty else SAFE_FALLBACK_REPLY
            return OutputReview("block", fallback, (*reasons, *dict.fromkeys(blocking)))
        promised = {s for s, finding in findings.items() if finding == "promise"}
        fixed, softened = _soften_promises(fixed, promised)
        reasons += ["promise:softened"] * softened
        if not fixed.strip() and not allow_empty:
            return OutputReview("block", SAFE_FALLBACK_REPLY, (*reasons, "degenerate:empty"))
        return OutputReview("fix" if fixed != text else "pass", fixed, tuple(reasons))

    def _meaning_findings(self, text: str) -> dict[str, str | None]:
        """Each sentence of ``text`` (with letters in it) and what the meaning model found."""
        sentences = [s for s in split_sentences(text) if any(c.isalpha() for c in s)]
        return dict(zip(sentences, self._meaning.findings(sentences), strict=True))

    def _fix_steps(self, facts: Sequence[str] | None) -> tuple[tuple[str, FixStep], ...]:
        return (
            ("placeholders", _without_foreign_placeholders),
            ("secrets", _without_secret_requests),
            ("pii", self._without_foreign_pii),
            ("grounding", partial(self._grounded, facts=facts)),
            ("slots", self._with_slots_filled),
        )

    def _grounded(
        self,
        text: str,
        user_text: str,
        vault: PlaceholderVault,
        facts: Sequence[str] | None = None,
    ) -> tuple[str, list[str]]:
        """``text`` without the sentences stating figures no source gave."""
        kept, reasons = [], []
        for sentence in split_sentences(text):
            invented = self._facts.ungrounded(sentence, user_text, facts)
            reasons += [f"ungrounded:{figure.kind}" for figure in invented]
            kept += [] if invented else [sentence]
        return ("".join(kept) if reasons else text), reasons

    def _without_foreign_pii(
        self, text: str, user_text: str, vault: PlaceholderVault
    ) -> tuple[str, list[str]]:
        pii = self._pii.remove(text, vault)
        return pii.text, [f"pii:removed:{pii.removed}"] if pii.removed else []

    def _with_slots_filled(
        self, text: str, user_text: str, vault: PlaceholderVault
    ) -> tuple[str, list[str]]:
        slots = self._slots.fill(text, user_text=user_text, vault=vault)
        reasons = [f"slot:filled:{s}" for s in slots.filled]
        reasons += [f"slot:reworded:{s}" for s in slots.reworded]
        return slots.text, reasons + [f"slot:dropped:{s}" for s in slots.dropped]


def _without_foreign_placeholders(
    text: str, user_text: str, vault: PlaceholderVault
) -> tuple[str, list[str]]:
    fixed, removed = remove_foreign_placeholders(text, set(vault.placeholders()))
    return fixed, ["placeholder:removed"] * removed


def _without_secret_requests(
    text: str, user_text: str, vault: PlaceholderVault
) -> tuple[str, list[str]]:
    fixed, found = without_secret_requests(text)
    return fixed, ["secret:request_removed"] * found


def _degenerate(reply: str, sentences: Sequence[str]) -> list[str]:
    reason = degenerate_reason(reply, sentences)
    return [reason] if reason else []


def _repeats_released(sentence: str, released: list[str]) -> list[str]:
    """A streamed sentence is degenerate if it loops or was already sent twice."""
    key = sentence_key(sentence)
    if sum(sentence_key(earlier) == key for earlier in released) >= 2:
        return ["degenerate:repeated_sentence"]
    return _degenerate("".join(released[-6:]) + sentence, [*released[-6:], sentence])[:1]


def _soften_promises(text: str, promised: set[str]) -> tuple[str, int]:
    """Replace the first promise sentence (by the rules, or in ``promised``) with a softened
    one and drop the rest."""
    kept: list[str] = []
    softened = 0
    for sentence in split_sentences(text):
        if not (sentence in promised or is_promise(sentence)):
            kept.append(sentence)
            continue
        if softened == 0:
            kept.append(SOFTENED_PROMISE)
        softened += 1
    return "".join(kept) if softened else text, softened
