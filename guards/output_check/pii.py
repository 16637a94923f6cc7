"""Personal data in a reply that is not the customer's own is taken out.

A reply may hold the customer's own placeholders (issued by their vault) and the company's
published contact details; anything else the redactor finds, and any placeholder the vault
did not issue, is replaced by a neutral label such as "[email removed]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guards.company_profile import CompanyProfile
from guards.redaction import Entity, PlaceholderVault, Redactor
from guards.redaction.vault import PLACEHOLDER_PATTERN

REMOVED_LABELS: dict[str, str] = {
    "PERSON": "[name removed]",
    "EMAIL_ADDRESS": "[email removed]",
    "PHONE_NUMBER": "[phone number removed]",
    "STREET_ADDRESS": "[address removed]",
    "CREDIT_CARD": "[card number removed]",
    "IBAN_CODE": "[account number removed]",
    "ACCOUNT_NUMBER": "[account number removed]",
}
DEFAULT_LABEL = "[details removed]"
_GREETING_NAME = re.compile(r"\b(Hi|Hello|Hey|Dear|Thanks|Thank you),?[ \t]+\[name removed\]")

Span = tuple[int, int]


@dataclass(frozen=True)
class PiiResult:
    """The reply with foreign personal data removed, and how many items were removed."""

    text: str
    removed: int


class ForeignPiiRemover:
    """Removes from replies every personal detail that is not the customer's own."""

    def __init__(self, redactor: Redactor, profile: CompanyProfile) -> None:
        self._redactor = redactor
        self._published = _published_values(profile)

    def remove(self, reply: str, vault: PlaceholderVault) -> PiiResult:
        """``reply`` without foreign personal data; the customer's own placeholders stay."""
        issued = set(vault.placeholders())
        own_values = {" ".join(value.casefold().split()) for value in vault.values()}
        own_name_words = _own_name_words(vault)
        allowed = self._allowed_spans(reply, issued)
        edits: list[tuple[Span, str]] = []
        for entity in self._redactor.analyze(reply):
            if (
                _is_lowercase_name(reply, entity)
                or _is_interface_label(reply, entity)
                or _is_article_phrase(reply, entity)
                or _is_part_of_own_name(reply, entity, own_name_words)
                or any(entity.overlaps(start, end) for start, end in allowed)
            ):
                continue
            edits.append(
                ((entity.start, entity.end), _replacement(reply, entity, own_values, vault))
            )
        for match in PLACEHOLDER_PATTERN.finditer(reply):
            if match.group(0) not in issued:
                edits.append((match.span(), REMOVED_LABELS.get(match.group(1), DEFAULT_LABEL)))
        text = _apply(reply, edits)
        removed = sum(not new.startswith("<") for _, new in edits)
        return PiiResult(_GREETING_NAME.sub(r"\1", text), removed)

    def _allowed_spans(self, reply: str, issued: set[str]) -> list[Span]:
        """The company's published details and the customer's own placeholders."""
        spans = [m.span() for m in PLACEHOLDER_PATTERN.finditer(reply) if m.group(0) in issued]
        folded = reply.casefold()
        for value in self._published:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(value), folded)]
        return spans


def _is_lowercase_name(reply: str, entity: Entity) -> bool:
    """A "name" written all in lower case ("progress") or made of the words of a web page's
    menus and the steps through them ("Order History", "Click"): in a reply, not a name."""
    if entity.type != "PERSON":
        return False
    words = reply[entity.start : entity.end].split()
    return all(w.islower() for w in words) or all(w.lower() in _INTERFACE_WORDS for w in words)


_UI_ACTION_BEFORE = re.compile(
    r"\b(?:click|clicking|tap|tapping|choose|choosing|select|selecting|press|pressing|hit|"
    r"pick|toggle|open|opening|enable|disable|(?:go|navigate|head) to|under)"
    r"(?:\s+(?:on|the))?\s*['\"“‘]?$",
    re.I,
)
_UI_ACTION_WORDS = frozenset(
    ("add", "apply", "cancel", "change", "confirm", "continue", "create", "delete", "download",
     "edit", "manage", "pay", "print", "remove", "request", "reset", "save", "send", "show",
     "start", "submit", "switch", "track", "update", "upload", "view", "start", "report",
     "return", "buy", "book", "rebook", "renew", "pause", "resume", "verify", "sign", "log",
     "click", "tap", "choose", "select", "press", "open", "go")
)  # fmt: skip


def _is_interface_label(reply: str, entity: Entity) -> bool:
    """A "name" that is a button or menu entry: right after "click", "choose", "tap"...
    ("click Download invoice"), or starting with an action ("Switch account", "Change Dates")."""
    if entity.type != "PERSON":
        return False
    first_word = reply[entity.start : entity.end].split()[0].lower()
    before = reply[max(0, entity.start - 40) : entity.start]
    return (
        first_word in _UI_ACTION_WORDS
        or bool(_UI_ACTION_BEFORE.search(before))
        or _after_capitalised_action(before)
    )


def _after_capitalised_action(before: str) -> bool:
    """The finding is the rest of a label whose action word was left out of it ("Change
    [Dates]"): a capitalised action word right before it."""
    previous = re.search(r"(\w+)\s+$", before)
    word = previous.group(1) if previous else ""
    return word[:1].isupper() and word.lower() in _UI_ACTION_WORDS


_INTERFACE_WORDS = frozenset(
    ("order", "orders", "history", "account", "settings", "profile", "payment", "payments",
     "methods", "method", "returns", "wishlist", "cart", "basket", "checkout", "help", "home",
     "menu", "details", "addresses", "address", "book", "preferences", "notifications",
     "security", "privacy", "subscriptions", "billing", "invoices", "my", "your", "click",
     "tap", "select", "choose", "open", "press", "enter", "visit", "sign", "log", "go", "follow")
)  # fmt: skip


_ARTICLES = frozenset(
    ("the", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "el", "los",
     "las", "les", "il", "lo", "gli", "uno", "una", "het", "een", "os", "um", "uma")
)  # fmt: skip
"""Articles that begin no name ("Der Standardversand dauert..."); "La", "Le", "De", "Van"
and "Da" can (Le Blanc, De Souza), so they are left out."""


def _is_article_phrase(reply: str, entity: Entity) -> bool:
    """A "name" that begins with an article, as a noun does in German or Spanish replies."""
    words = reply[entity.start : entity.end].split()
    return entity.type == "PERSON" and len(words) > 1 and words[0].casefold() in _ARTICLES


def _own_name_words(vault: PlaceholderVault) -> frozenset[str]:
    """The words of the customer's own names ("laura", "bennett" for "Laura Bennett")."""
    values = vault.to_dict()["values"]
    names = [value for key, held in values.items() if key.startswith("<PERSON") for value in held]
    return frozenset(word for name in names for word in name.casefold().split())


def _is_part_of_own_name(reply: str, entity: Entity, own_name_words: frozenset[str]) -> bool:
    """A name made of the customer's own name's words: "Thanks, Laura" to Laura Bennett."""
    words = reply[entity.start : entity.end].casefold().split()
    return entity.type == "PERSON" and bool(words) and set(words) <= own_name_words


def _published_values(profile: CompanyProfile) -> list[str]:
    """Casefolded company details that may appear in replies (and the website's host name)."""
    host = re.sub(r"^https?://", "", profile.website).split("/")[0]
    values = [profile.name, profile.phone, profile.email, profile.website, host]
    return [value.casefold() for value in values if value]


def _replacement(reply: str, entity: Entity, own_values: set[str], vault: PlaceholderVault) -> str:
    """The customer's own placeholder for their own raw value; a neutral label otherwise."""
    value = reply[entity.start : entity.end]
    if " ".join(value.casefold().split()) in own_values:
        return vault.placeholder_for(entity.type, value)
    return REMOVED_LABELS.get(entity.type, DEFAULT_LABEL)


def _apply(text: str, edits: list[tuple[Span, str]]) -> str:
    """``text`` with non-overlapping span replacements applied (the first of overlaps wins)."""
    pieces, cursor = [], 0
    for (start, end), new in sorted(edits):
        if start < cursor:
            continue
        pieces += [text[cursor:start], new]
        cursor = end
    return "".join(pieces) + text[cursor:]
