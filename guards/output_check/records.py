"""`guardchat guard output`: review a raw reply to a raw customer message, end to end."""

from __future__ import annotations

import re
from typing import Any

from guards.output_check.review import OutputCheck
from guards.redaction import PlaceholderVault, Redactor
from service.filters import require_text


def guard_output_record(
    check: OutputCheck, redactor: Redactor, record: dict[str, Any]
) -> dict[str, Any]:
    """``{"user", "reply"}`` (raw) -> ``{"verdict", "reply", "reasons"}``.

    The customer's own details (found in ``user``) may be echoed back to them; anyone else's
    may not. ``user`` is redacted into a fresh vault; in the reply, the customer's own values
    are swapped for their placeholders, and the review removes whatever personal data is
    left (the company's published details excepted). The vault then restores the result.
    """
    user, reply = require_text(record, "user"), require_text(record, "reply")
    vault = PlaceholderVault()
    redacted_user = redactor.redact(user, vault).text
    review = check.review(
        own_values_to_placeholders(reply, vault), user_text=redacted_user, vault=vault
    )
    return {
        "verdict": review.verdict,
        "reply": vault.restore(review.reply),
        "reasons": list(review.reasons),
    }


def own_values_to_placeholders(text: str, vault: PlaceholderVault) -> str:
    """``text`` with every raw value the vault holds replaced by its placeholder."""
    for placeholder in vault.placeholders():
        for value in _spellings(vault, placeholder):
            text = re.sub(re.escape(value), placeholder, text, flags=re.IGNORECASE)
    return text


def _spellings(vault: PlaceholderVault, placeholder: str) -> list[str]:
    """The raw spellings behind one placeholder, longest first."""
    spellings: list[str] = vault.to_dict()["values"].get(placeholder, [])
    return sorted(spellings, key=len, reverse=True)
