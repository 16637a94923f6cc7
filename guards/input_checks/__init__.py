"""The input guard: screens each customer turn for injection, size, garbage and abuse.

`InputScreen.check` is the guard; `guard_input_record` is the `guardchat guard input` filter.
"""

from __future__ import annotations

from typing import Any

from guards.input_checks.screen import CUSTOMER_MESSAGES, InputGuardConfig, InputScreen
from service.filters import require_text

__all__ = ["CUSTOMER_MESSAGES", "InputGuardConfig", "InputScreen", "guard_input_record"]


def guard_input_record(screen: InputScreen, record: dict[str, Any]) -> dict[str, Any]:
    """``{"text"}`` -> ``{"verdict": "allow"|"block", "category", "score", "reasons"}``."""
    verdict = screen.check(require_text(record))
    return {
        "verdict": "allow" if verdict.allowed else "block",
        "category": verdict.category,
        "score": round(verdict.score, 4),
        "reasons": list(verdict.reasons),
    }
