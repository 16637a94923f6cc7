"""The JSON Lines adapters behind `guardchat redact | route | guard input | guard output`:
one input record through one guard (or triage), one output record out.

They live on the command line's side, so the guards and the graph know nothing of records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graphs.routing import Message, RouteDecision, Triage
from guards.input_checks import InputScreen
from guards.output_check import OutputCheck
from guards.redaction import PlaceholderVault, Redactor
from service.filters import BadRecord, Record, require_text

ROLES = ("user", "assistant", "agent", "system")


def redact_record(redactor: Redactor, record: Record) -> Record:
    """``{"text"}`` -> redacted ``text`` and its ``entities`` (offsets into the input)."""
    redaction = redactor.redact(require_text(record))
    return {
        "text": redaction.text,
        "entities": [
            {"type": e.type, "start": e.start, "end": e.end, "score": e.score}
            for e in redaction.entities
        ],
    }


def guard_input_record(screen: InputScreen, record: Record) -> Record:
    """``{"text"}`` -> ``{"verdict": "allow"|"block", "category", "score", "reasons"}``."""
    verdict = screen.check(require_text(record))
    return {
        "verdict": "allow" if verdict.allowed else "block",
        "category": verdict.category,
        "score": round(verdict.score, 4),
        "reasons": list(verdict.reasons),
    }


def guard_output_record(
    check: OutputCheck, redactor: Redactor, record: Record, facts: Sequence[str] | None = None
) -> Record:
    """``{"user", "reply"}`` (raw) -> ``{"verdict", "reply", "reasons"}``.

    The customer's own details (found in ``user``) may be echoed back to them; anyone else's
    may not. ``user`` is redacted into a fresh vault; in the reply, the customer's own values
    are swapped for their placeholders, and the review removes whatever personal data is
    left (the company's published details excepted). The vault then restores the result.
    ``facts``: the knowledge base answers retrieved for the turn (None: all of them).
    """
    user, reply = require_text(record, "user"), require_text(record, "reply")
    vault = PlaceholderVault()
    redacted_user = redactor.redact(user, vault).text
    review = check.review(
        own_values_to_placeholders(reply, vault), user_text=redacted_user, vault=vault, facts=facts
    )
    return {
        "verdict": review.verdict,
        "reply": vault.restore(review.reply),
        "reasons": list(review.reasons),
    }


def own_values_to_placeholders(text: str, vault: PlaceholderVault) -> str:
    """``text`` with every raw value the vault holds replaced by its placeholder.

    Values match as whole words, and a value of one plain word only as written: when the
    redactor took the customer's "Will I be charged?" for a name, the reply's "the team will
    check" is not an echo of it (it came back as "the team Will check")."""
    values = [(value, held) for held in vault.placeholders() for value in _spellings(vault, held)]
    for value, placeholder in sorted(values, key=lambda pair: len(pair[0]), reverse=True):
        text = _own_value_pattern(value).sub(placeholder, text)  # longest first: "sam.k@..."
    return text


def _own_value_pattern(value: str) -> re.Pattern[str]:
    """Whole-word match of ``value``; any case, unless it is a single plain word."""
    flags = 0 if value.isalpha() else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", flags)


def _spellings(vault: PlaceholderVault, placeholder: str) -> list[str]:
    """The raw spellings behind one placeholder."""
    spellings: list[str] = vault.to_dict()["values"].get(placeholder, [])
    return spellings


def route_record(triage: Triage, record: Record) -> Record:
    """``{"text"}`` or ``{"messages": [...]}`` -> route, intent, category, reasons."""
    if "messages" in record:
        return decision_to_record(triage.route_conversation(parse_messages(record["messages"])))
    return decision_to_record(triage.route(require_text(record)))


def decision_to_record(decision: RouteDecision) -> Record:
    """The `guardchat route` output line for a decision."""
    return {
        "route": decision.route,
        "intent": decision.intent,
        "category": decision.category,
        "confidence": round(decision.confidence, 4),
        "reasons": list(decision.reasons),
    }


def parse_messages(value: object) -> list[Message]:
    """The `messages` field of a record, checked; `BadRecord` explains what is wrong."""
    if not isinstance(value, list):
        raise BadRecord("field 'messages' must be a list")
    messages = [_parse_message(item, position) for position, item in enumerate(value)]
    if not any(message.role == "user" for message in messages):
        raise BadRecord("field 'messages' must contain at least one user message")
    return messages


def _parse_message(item: object, position: int) -> Message:
    if not isinstance(item, dict):
        raise BadRecord(f"messages[{position}] must be an object with 'role' and 'content'")
    role = item.get("role")
    if role not in ROLES:
        raise BadRecord(f"messages[{position}].role must be one of {', '.join(ROLES)}")
    content = item.get("content")
    if not isinstance(content, str):
        raise BadRecord(f"messages[{position}].content must be a string")
    return Message(role=str(role), content=content)
