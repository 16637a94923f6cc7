"""Figures a reply may state: only those the company's facts or the customer gave.

Phone numbers, e-mail addresses, web addresses, prices, percentages, times of day,
durations and other numbers in a sentence must each appear in the company profile, the
knowledge base or the customer's own message; a sentence with an invented one is dropped.
Numbered steps ("1.", "2)") and numbers inside references ("ORD-77120") are not figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from guards.company_profile import CompanyProfile

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60,
    "ninety": 90, "hundred": 100, "a hundred": 100,
}  # fmt: skip
_NUMBER = r"\d+(?:[.,]\d+)*"
_SPELLED = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_UNITS = {
    "minute": "minute", "min": "minute", "hour": "hour", "hr": "hour", "day": "day",
    "week": "week", "month": "month", "year": "year", "yr": "year",
}  # fmt: skip
_TLDS = (
    "com|net|org|io|co|uk|de|fr|es|it|nl|eu|us|ca|au|info|biz|shop|store|app|dev|example|"
    "help|support|online|site|me|ly|ai|gov|edu|ch|at|be|se|no|dk|ie|pl|in|nz"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)),
    ("url", re.compile(
        rf"\b(?:(?:https?://|www\.)[^\s,;!?)]*[^\s,;!?).]"
        rf"|(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/[^\s,;!?)]*)?)", re.I)),
    ("always", re.compile(
        r"\b24\s?/\s?7\b|\b24 hours a day\b|\b(?:a)?round[ -]the[ -]clock\b"
        r"|\b(?:available|reachable|open|staffed|on hand)"
        # "available to assist you at any time" as well as "available at any time"
        r"(?:\s+(?:to\s+(?:assist|help|support|serve)|for)(?:\s+you)?)?"
        r"\s+(?:at any time|any ?time|all day|"
        r"day (?:and|or) night|every day|(?:7|seven) days a week)\b", re.I)),
    ("phone", re.compile(r"(?<![\w-])\+?\(?\d[\d ()./-]{5,}\d(?![\w-])")),
    ("time", re.compile(
        r"\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?m\b\.?|\b(\d{1,2}):(\d\d)\b", re.I)),
    ("money", re.compile(
        rf"[$€£]\s?({_NUMBER})|\b({_NUMBER})\s?(?:[$€£]|eur|euros?|usd|dollars?|gbp|pounds?)\b",
        re.I)),
    ("percent", re.compile(rf"\b({_NUMBER})\s?(?:%|percent|per cent)", re.I)),
    ("duration", re.compile(
        rf"\b({_NUMBER}|{_SPELLED})(?:\s?(?:-|to|–|or)\s?({_NUMBER}|{_SPELLED}))?[\s-]+"
        rf"(?:(?:business|working|calendar|full)\s+)?({'|'.join(_UNITS)})s?\b", re.I)),
    ("number", re.compile(r"(?<![\w.,/#:-])\d+(?:[.,]\d+)*(?![\w/-]|[.,]\d)")),
)  # fmt: skip
"""Kinds of figure, most specific first: a span claimed by one is not read again."""
_LIST_NUMBER = re.compile(r"(?:^|(?<=[\n:.!?;]))[ \t]*\(?\d{1,2}[.)](?=\s)")
_STEP_NUMBER = re.compile(r"\bstep\s+\d{1,2}\b", re.I)


@dataclass(frozen=True)
class Figure:
    """One figure in a text: its kind and a normalised value ("day:30", "phone:5550100")."""

    kind: str
    value: str


def figures(text: str) -> list[Figure]:
    """Every figure in ``text`` (numbered-list and step numbers left out)."""
    taken = [m.span() for m in _LIST_NUMBER.finditer(text)]
    taken += [m.span() for m in _STEP_NUMBER.finditer(text)]
    found: list[Figure] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found += _normalised(kind, match)
    return found


def _normalised(kind: str, match: re.Match[str]) -> list[Figure]:
    """The value(s) one match stands for; a range gives both ends and itself ("day:2-3"),
    so that "express takes 2 to 3 days" is not grounded by "1 to 2 days" and "3 to 5 days"."""
    groups = [g for g in match.groups() if g]
    if kind == "duration":
        unit = _UNITS[groups[-1].lower()]
        ends = [_number(g) for g in groups[:-1]]
        whole = [f"{unit}:{'-'.join(ends)}"] if len(ends) == 2 else []
        return [Figure("duration", value) for value in [f"{unit}:{n}" for n in ends] + whole]
    if kind == "time":
        return [Figure("time", _clock(match))]
    if kind in ("money", "percent", "number"):
        return [Figure(kind, _number(groups[0] if groups else match.group(0)))]
    return [Figure(kind, _contact(kind, match.group(0)))]


def _number(text: str) -> str:
    """ "1,000.00" -> "1000", "thirty" -> "30", "4.99" -> "4.99"."""
    lowered = text.lower()
    if lowered in _WORD_NUMBERS:
        return str(_WORD_NUMBERS[lowered])
    plain = re.sub(r"[,](?=\d{3}\b)", "", lowered).replace(",", ".")
    return re.sub(r"\.0+$", "", plain)


def _clock(match: re.Match[str]) -> str:
    """ "5pm" -> "17:00", "9:30 am" -> "9:30", "17:00" -> "17:00"."""
    hour, minute, half, hour24, minute24 = match.groups()
    if hour24 is not None:
        return f"{int(hour24)}:{minute24}"
    return f"{int(hour) % 12 + (12 if half.lower() == 'p' else 0)}:{minute or '00'}"


def _contact(kind: str, text: str) -> str:
    """Phones compare by their last 7+ digits; addresses by lower case; web addresses by host
    (without www) and page: "https://www.shop.example/help/" -> "shop.example/help"."""
    if kind == "phone":
        return re.sub(r"\D", "", text)
    if kind == "url":
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", text.lower()).rstrip("./")
    return text.lower()


class FactSources:
    """The figures the company's facts hold: the profile always; of the knowledge base, the
    facts retrieved for the turn (a "14 days" that is the damaged-item window does not make
    "14 days to return an item" grounded)."""

    def __init__(self, profile: CompanyProfile, knowledge: Sequence[str] = ()) -> None:
        self._profile = _grounding_set(
            [*profile.slot_values().values(), *profile.policies.values()]
        )
        self._knowledge = _grounding_set(knowledge)

    def ungrounded(
        self, sentence: str, customer_text: str, turn_facts: Sequence[str] | None = None
    ) -> list[Figure]:
        """The figures in ``sentence`` that neither the facts nor the customer gave.
        ``turn_facts``: the facts retrieved for this turn (None: the whole knowledge base)."""
        facts = self._knowledge if turn_facts is None else _turn_grounding(tuple(turn_facts))
        known = self._profile | facts
        customer = _grounding_set([customer_text]) if customer_text else set()
        return [
            figure
            for figure in figures(sentence)
            if not (_is_stated(figure, known) or _customer_gave(figure, customer))
        ]


@lru_cache(maxsize=128)
def _turn_grounding(facts: tuple[str, ...]) -> frozenset[str]:
    """A turn's facts' figures, read once for all the sentences of its reply."""
    return frozenset(_grounding_set(facts))


def _grounding_set(texts: Iterable[str]) -> set[str]:
    """Every figure of ``texts`` as "kind=value", plus every number as "digits=value"."""
    known: set[str] = set()
    for text in texts:
        known.update(f"{figure.kind}={figure.value}" for figure in figures(text))
        known.update(f"digits={digits}" for digits in re.findall(r"\d+", text))
        known.update(f"digits={_number(number)}" for number in re.findall(_NUMBER, text))
    return known


def _is_stated(figure: Figure, known: set[str]) -> bool:
    """Stated by the facts: the same figure (a web address with the same host and page: a
    page or subdomain of the company's site that no fact gives is invented, such as
    "returns.shop.example/start"), a phone without its country prefix, or a bare number the
    facts hold."""
    if f"{figure.kind}={figure.value}" in known:
        return True
    if figure.kind == "phone":
        return any(k.startswith("phone=") and k.endswith(figure.value) for k in known)
    return figure.kind == "number" and f"digits={figure.value}" in known


def _customer_gave(figure: Figure, customer: set[str]) -> bool:
    """The customer wrote this figure, or at least its number (their order, their amount)."""
    number = figure.value.split(":", 1)[1] if figure.kind == "duration" else figure.value
    return f"{figure.kind}={figure.value}" in customer or f"digits={number}" in customer
