"""`guardchat eval feedback`: what customers thought of the bot's replies, from the ratings in the
audit trail: satisfaction by intent (worst first) and the replies rated down most often."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from service.config import Settings
from service.storage.audit import AuditLog
from service.storage.database import open_engine

WORST_REPLIES = 10


@dataclass(frozen=True)
class IntentSatisfaction:
    intent: str
    up: int
    down: int

    @property
    def satisfaction(self) -> float:
        return self.up / (self.up + self.down)


async def feedback_report(settings: Settings, as_json: bool) -> str:
    engine = await open_engine(settings)
    try:
        events = await AuditLog(engine).events_of_kind("feedback.given")
    finally:
        await engine.dispose()
    ratings = [event.detail for event in events]
    intents, replies = by_intent(ratings), worst_replies(ratings)
    if as_json:
        rows = [{**asdict(i), "satisfaction": round(i.satisfaction, 3)} for i in intents]
        return json.dumps({"intents": rows, "worst_replies": replies}, indent=2)
    return report_text(intents, replies, len(events))


def by_intent(ratings: list[dict[str, Any]]) -> list[IntentSatisfaction]:
    """Ups and downs per intent, least satisfied first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for rating in ratings:
        counts[rating.get("intent") or "unknown"][rating["rating"]] += 1
    rows = [IntentSatisfaction(intent, c["up"], c["down"]) for intent, c in counts.items()]
    return sorted(rows, key=lambda row: (row.satisfaction, -row.down, row.intent))


def worst_replies(ratings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The (redacted) replies rated down, most down-votes first, with their comments."""
    downs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rating in (r for r in ratings if r["rating"] == "down"):
        downs[(rating.get("intent") or "unknown", rating.get("reply", ""))].append(
            rating.get("comment") or ""
        )
    ranked = sorted(downs.items(), key=lambda item: -len(item[1]))[:WORST_REPLIES]
    return [
        {"intent": intent, "reply": reply, "down": len(notes), "comments": [c for c in notes if c]}
        for (intent, reply), notes in ranked
    ]


def report_text(
    intents: list[IntentSatisfaction], replies: list[dict[str, Any]], total: int
) -> str:
    lines = [f"{total} ratings", "", f"{'intent':<28} {'up':>4} {'down':>5} {'satisfied':>9}"]
    lines += [f"{i.intent:<28} {i.up:>4} {i.down:>5} {i.satisfaction:>9.0%}" for i in intents]
    lines += ["", "worst-rated replies:"]
    for reply in replies:
        comments = "; ".join(reply["comments"]) or "-"
        text = repr(reply["reply"][:80])
        lines.append(f"  {reply['down']} down  [{reply['intent']}] {text}  comments: {comments}")
    return "\n".join(lines)
