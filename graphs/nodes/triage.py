"""Triage: the intent classifier and the handoff policy decide who answers this turn.

Only the new message is classified: what the policy needs from earlier turns (low-confidence
turns, the same intent repeated) is kept in the state as the turns go by. The classifier runs
off the event loop under the guard timeout; if it fails or is too slow, a human takes the turn
(the bot never answers a message nobody has triaged).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.runtime import Runtime

from graphs.context import TurnContext
from graphs.nodes.common import node_span
from graphs.routing import HandoffPolicy, RouteDecision, Signals
from graphs.state import ConversationState
from guards.off_loop import failure_kind, run_off_loop


async def triage(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("triage", ctx) as span:
        triage = ctx.services.triage
        work = partial(triage.route, state["user_text"], None, _signals(state, triage.policy))
        decision = await run_off_loop(work, ctx.services.guard_timeout_s, _untriaged)
        route = _route(state, decision)
        low = decision.confidence < ctx.services.triage.policy.low_confidence_threshold
        span.set_attribute("triage.intent", decision.intent)
        span.set_attribute("triage.confidence", decision.confidence)
        span.set_attribute("triage.route", route)
        span.set_attribute("triage.reasons", list(decision.reasons))
        return _updates(state, decision, route, low)


def _untriaged(error: Exception) -> RouteDecision:
    """Triage failed or timed out: a person answers, not the bot."""
    return RouteDecision("handoff", "unknown", "unknown", 0.0, (f"triage:{failure_kind(error)}",))


def _signals(state: ConversationState, policy: HandoffPolicy) -> Signals:
    screen = state.get("screen", {})
    replies = _replies(state)
    return Signals(
        guard_blocks=state.get("guard_blocks", 0),
        low_confidence_turns=state.get("low_confidence_turns", 0),
        repeated_intent_turns=_repeats(state.get("intent_history", [])),
        human_offered=state.get("human_offered", False),
        human_offer_pending=bool(replies) and policy.offers_human(replies[-1]),
        abuse_flag=screen.get("abuse") or None,
        assistant_repeated=policy.assistant_repeated(replies),
    )


def _replies(state: ConversationState) -> list[str]:
    """The bot's earlier replies: a last one offering a person makes "yes please" a handoff;
    one restating an earlier one means the bot is going in circles."""
    return [m["content"] for m in state.get("messages", []) if m["role"] == "assistant"]


def _repeats(intents: list[str]) -> int:
    """How many of the latest turns in a row share the last intent."""
    count = 0
    for intent in reversed(intents):
        if intent != intents[-1]:
            break
        count += 1
    return count


def _route(state: ConversationState, decision: RouteDecision) -> str:
    """A handoff wins over a blocked message (a person reviews it), except an injection
    attempt: it is refused, so attacks never page a human."""
    screen = state.get("screen", {})
    injection = any(r.startswith("injection:") for r in screen.get("reasons", []))
    if decision.route == "handoff" and not injection:
        return "handoff"
    return "assistant" if screen.get("allowed", True) else "refuse"


def _updates(
    state: ConversationState, decision: RouteDecision, route: str, low: bool
) -> dict[str, Any]:
    screen_reasons = list(state.get("screen", {}).get("reasons", []))
    return {
        "route": route,
        "intent": decision.intent,
        "category": decision.category,
        "confidence": decision.confidence,
        "reasons": screen_reasons + list(decision.reasons),
        "offer_human": decision.offer_human and not state.get("human_offered", False),
        "low_confidence_turns": state.get("low_confidence_turns", 0) + int(low),
        "intent_history": [*state.get("intent_history", []), decision.intent][-10:],
    }
