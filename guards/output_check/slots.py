"""Bitext-style ``{{Slot}}`` templates: fill them, or rephrase/drop what cannot be filled.

Values come from the conversation (the order number the customer gave, their own name
placeholder) and from the company profile. No ``{{`` or ``}}`` ever survives `fill_slots`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guards.company_profile import CompanyProfile
from guards.output_check.sentences import split_sentences
from guards.redaction import PlaceholderVault

SLOT = re.compile(r"\{\{\s*([^{}\n]{1,60}?)\s*\}\}")
BRACES = re.compile(r"\{\{|\}\}")

_REFERENCE = r"(?:[A-Z]{2,5}[-_#]?)?\d[A-Z0-9]*(?:[-_/][A-Z0-9]+)*"
CONVERSATION_SLOTS: dict[str, re.Pattern[str]] = {
    "Order Number": re.compile(
        rf"(?i:\border(?:\s+(?:number|no\.?|num|nr|id))?\s*(?:is\s+)?[:#]?\s*)(#?{_REFERENCE})"
        rf"|\b((?:ORD|ORDER|SO|PO)[-_#]?\d[A-Z0-9-]*)\b"
    ),
    "Invoice Number": re.compile(
        rf"(?i:\binvoice(?:\s+(?:number|no\.?|num|nr|id))?\s*(?:is\s+)?[:#]?\s*)(#?{_REFERENCE})"
        rf"|\b(INV[-_#]?\d[A-Z0-9-]*)\b"
    ),
    "Tracking Number": re.compile(
        rf"(?i:\btracking(?:\s+(?:number|no\.?|code|id))?\s*(?:is\s+)?[:#]?\s*)(#?{_REFERENCE})"
        r"|\b(1Z[0-9A-Z]{16})\b"
    ),
    "Refund Amount": re.compile(r"([$€£]\s?\d+(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?\s?(?:EUR|USD|GBP))"),
}
"""Slots filled from what the customer wrote, with the pattern that finds the value."""

NAME_SLOTS = frozenset(
    {"Person Name", "Client First Name", "Client Last Name", "Customer Name", "Name",
     "First Name", "Last Name", "Client Name", "Salutation"}
)  # fmt: skip
"""Slots for the customer's name: filled with their own name placeholder, or left out."""

GENERIC_WORDING: dict[str, str] = {
    "Order Number": "your order",
    "Invoice Number": "your invoice",
    "Tracking Number": "your tracking number",
    "Refund Amount": "the refund amount",
    "Delivery City": "your city",
    "Delivery Country": "your country",
    "Currency Symbol": "",
    "Money Amount": "the amount",
    "Date": "the date",
    "Date Range": "the period",
    "Online Order Interaction": "Order History",
    "Online Payment Interaction": "Payment Methods",
    "Payment Method": "your payment method",
    "Store Location": "our store",
    "Account Type": "new",
    "Account Category": "new",
}
"""A generic phrase that can replace a slot whose value is unknown."""

_UI_PLACE = re.compile(
    r"\b(?:settings|section|page|tab|menu|option|options|button|link|area|panel|profile)$", re.I
)
_ENDS_WITH_DETERMINER = re.compile(r"\b(?:the|your|our|a|an|this)\s*$", re.I)
_GAP_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=[,.!?;:])")
_DOUBLE_GAP = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_GENERIC_ECHO = re.compile(
    r"\b(?:(?:your|the|this)\s+)?(order|invoice)(?:\s+(?:number|no\.?|#))?\s+your\s+\1\b", re.I
)


@dataclass(frozen=True)
class SlotResult:
    """The reply after filling, and the names of slots filled, reworded and dropped."""

    text: str
    filled: tuple[str, ...] = ()
    reworded: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.filled or self.reworded or self.dropped)


class SlotFiller:
    """Fills ``{{Slot}}`` templates from the conversation and the company profile."""

    def __init__(self, profile: CompanyProfile) -> None:
        self._profile_values = {
            slot_key(key): value for key, value in profile.slot_values().items()
        }

    def fill(self, reply: str, *, user_text: str, vault: PlaceholderVault) -> SlotResult:
        """``reply`` with every slot filled, reworded or its sentence dropped."""
        if not BRACES.search(reply):
            return SlotResult(reply)
        known = self._known_values(user_text, vault)
        filled: list[str] = []
        reworded: list[str] = []
        dropped: list[str] = []
        kept = []
        for sentence in split_sentences(reply):
            result = _fill_sentence(sentence, known, filled, reworded)
            if BRACES.search(result):
                dropped.extend(_slot_names(result))
            else:
                kept.append(result)
        text = _GENERIC_ECHO.sub(_generic_echo_wording, "".join(kept))
        text = text if reply[-1:].isspace() else text.rstrip()
        return SlotResult(text, tuple(filled), tuple(reworded), tuple(dropped))

    def _known_values(self, user_text: str, vault: PlaceholderVault) -> dict[str, str]:
        """Slot name (casefolded) -> value, from the profile and the customer's message."""
        known = dict(self._profile_values)
        for slot, pattern in CONVERSATION_SLOTS.items():
            match = pattern.search(user_text)
            if match:
                known[slot_key(slot)] = next(group for group in match.groups() if group)
        name = _customer_name_placeholder(user_text, vault)
        known.update(dict.fromkeys((slot_key(slot) for slot in NAME_SLOTS), name))
        return known


def _fill_sentence(
    sentence: str, known: dict[str, str], filled: list[str], reworded: list[str]
) -> str:
    """One sentence with known slots filled and generic ones reworded; others left in place."""

    def replace(match: re.Match[str]) -> str:
        slot = match.group(1)
        value = known.get(slot_key(slot))
        if value is not None:
            filled.append(slot) if value else reworded.append(slot)
            return value
        if slot_key(slot) in _GENERIC_BY_KEY:
            reworded.append(slot)
            return _GENERIC_BY_KEY[slot_key(slot)]
        if _UI_PLACE.search(slot):
            reworded.append(slot)
            return _ui_place_wording(slot, sentence[: match.start()])
        return match.group(0)

    result = SLOT.sub(replace, sentence)
    if result == sentence:
        return result
    return _DOUBLE_GAP.sub(" ", _GAP_BEFORE_PUNCTUATION.sub("", result))


def slot_key(name: str) -> str:
    """How slot names are compared: "{{order_number}}" and "{{ Order Number }}" are one slot."""
    return " ".join(re.sub(r"[_\-]+", " ", name).casefold().split())


_GENERIC_BY_KEY = {slot_key(name): wording for name, wording in GENERIC_WORDING.items()}


def _generic_echo_wording(match: re.Match[str]) -> str:
    """ "Your invoice your invoice" -> "Your invoice", keeping a capital that starts a sentence."""
    wording = f"your {match.group(1).lower()}"
    return wording.capitalize() if match.group(0)[0].isupper() else wording


def _ui_place_wording(slot: str, before: str) -> str:
    """ "{{Account Settings}}" -> "the account settings" (no "the" after "your", "the"...)."""
    wording = slot.lower()
    return wording if _ENDS_WITH_DETERMINER.search(before) else f"the {wording}"


def _slot_names(sentence: str) -> list[str]:
    """The slots left in a sentence, or ``["braces"]`` for stray braces without a slot."""
    return [match.group(1) for match in SLOT.finditer(sentence)] or ["braces"]


def _customer_name_placeholder(user_text: str, vault: PlaceholderVault) -> str:
    """The customer's own name placeholder (``<PERSON_1>``) if they gave one, else ""."""
    issued = set(vault.placeholders())
    for placeholder in re.findall(r"<PERSON_\d+>", user_text):
        if placeholder in issued:
            return placeholder
    return ""
