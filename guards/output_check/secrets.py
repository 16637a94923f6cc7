"""Requests for secrets: a support bot never asks a customer for a password, a PIN, a card's
security code or its full number. The fine-tuned model learnt from Bitext to ask for "the
following details: your name, email address, and password"; such a sentence is replaced by a
warning, so the customer is never invited to type a secret into the chat.
"""

from __future__ import annotations

import re

from guards.output_check.sentences import split_sentences

SECRET = (
    r"(?:password|passcode|pass code|pin(?: code| number)?|cvv|cvc|cvv2|security (?:code|answer|"
    r"question)|(?:full |complete |long )?card number|one[- ]time (?:code|password)|otp|"
    r"(?:2fa|two[- ]factor|verification|authentication) code|login credentials|credentials)"
)
_SECRET = re.compile(rf"\b{SECRET}s?\b", re.IGNORECASE)
_ASKS = re.compile(
    r"\b(?:(?:provide|share|send|give|tell|confirm|supply|show|read out)\s+(?:me|us)\b|"
    r"(?:with|to)\s+(?:me|us)\b|let me know|reply with|"
    r"(?:provide|share|send|give|type|enter|paste|write)\b[^.]{0,40}"
    r"\b(?:here|in (?:this|the) chat)\b)",
    re.IGNORECASE,
)
"""Asking that it be given to the bot (a step on the website's own form is not asking)."""
_WARNS = re.compile(
    r"\b(?:never|not|n't|no one|nobody|don'?t|do not|won'?t|will not|shouldn'?t|should not)\b",
    re.IGNORECASE,
)
SECRET_WARNING = (
    "For your security, please never share your password, PIN or full card number with anyone, "
    "including us. "
)


def asks_for_secret(sentence: str) -> bool:
    """Whether ``sentence`` asks the customer to share a secret (a warning not to is fine)."""
    return bool(_SECRET.search(sentence) and _ASKS.search(sentence) and not _WARNS.search(sentence))


def without_secret_requests(text: str) -> tuple[str, int]:
    """``text`` with its first request for a secret replaced by the warning and any others
    dropped, and how many there were."""
    kept, found = [], 0
    for sentence in split_sentences(text):
        if not asks_for_secret(sentence):
            kept.append(sentence)
            continue
        kept += [] if found else [SECRET_WARNING]
        found += 1
    return ("".join(kept) if found else text), found
