"""What goes into the audit trail for a turn: one event per decision, derived from the graph's
final (redacted) state. Counts, verdicts, reasons and redacted text only; never raw values."""

from __future__ import annotations

from typing import Any

AuditEntry = tuple[str, dict[str, Any]]


def turn_entries(state: dict[str, Any]) -> list[AuditEntry]:
    """The decisions one turn made, in the order it made them."""
    entries: list[AuditEntry] = [
        (
            "message.received",
            {"text": state.get("user_text", ""), "entities": state.get("entity_counts", {})},
        ),
    ]
    route = state.get("route", "assistant")
    if route == "relay":
        return [*entries, ("message.relayed_to_agent", {"handoff_pending": True})]
    entries.append(("guard.input", _screen(state.get("screen", {}))))
    entries.append(("route.decided", _route(state)))
    if route == "assistant":
        output = {
            "reasons": state.get("output_reasons", []),
            "answered_by": state.get("answered_by"),
        }
        entries.append(("guard.output", output))
    if state.get("handoff_id"):
        entries.append(
            (
                "handoff.opened",
                {"handoff_id": state["handoff_id"], "reasons": state.get("reasons", [])},
            )
        )
    entries.append(("reply.sent", {"route": route, "text": state.get("reply", "")}))
    return entries


def _screen(screen: dict[str, Any]) -> dict[str, Any]:
    keys = ("allowed", "category", "score", "reasons")
    return {key: screen[key] for key in keys if key in screen}


def _route(state: dict[str, Any]) -> dict[str, Any]:
    return {
        "route": state.get("route"),
        "intent": state.get("intent"),
        "category": state.get("category"),
        "confidence": state.get("confidence"),
        "reasons": state.get("reasons", []),
        "offer_human": state.get("offer_human", False),
    }
