"""Ground: keep the bot on topic and find the company's facts for this turn, before the model.

A request outside the company's business gets a short, polite redirect and never reaches the
model. Otherwise the knowledge base entries closest to the message become this turn's
`facts`: the prompt states them, the output check accepts their figures, and the customer gets
them (with the offer of a human) if the model's reply fails. An entry that matches the
message closely answers the turn by itself: the company's own words beat a generated guess.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.runtime import Runtime

from graphs.context import TurnContext
from graphs.nodes.common import message, node_span, span_context
from graphs.prompts import scope_reply
from graphs.state import ConversationState
from guards.knowledge import Match
from guards.off_loop import run_off_loop
from guards.verdict import run_guard_async

FACT_MIN_SCORE = 0.5
"""Cosine between message and entry above which an entry's answer is a relevant fact."""
DIRECT_ANSWER_MIN_SCORE = 0.7
"""Above this, the entry answers the turn itself instead of the model. Set on the sample
knowledge base's own example questions, each left out in turn: at 0.7 the best entry is the
right one for 88% of them (0.81 at 0.65, 0.93 at 0.8, which answers only 7%)."""


async def ground(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("ground", ctx) as span:
        scope = await run_guard_async(
            ctx.services.scope_check, state["user_text"], ctx.services.guard_timeout_s,
            span_context(span), ctx.services.metrics.count_verdict,
        )  # fmt: skip
        if not scope.allowed and scope.category == "out_of_scope":
            return _redirect(ctx)
        matches = await _search(ctx, state["user_text"])
        facts = [m.entry.answer for m in matches if m.score >= FACT_MIN_SCORE]
        direct = matches[0] if matches and matches[0].score >= DIRECT_ANSWER_MIN_SCORE else None
        span.set_attribute(
            "ground.facts", [m.entry.id for m in matches if m.score >= FACT_MIN_SCORE]
        )
        span.set_attribute("ground.best_score", matches[0].score if matches else 0.0)
        return {"facts": facts, "knowledge_answer": direct.entry.answer if direct else ""}


async def _search(ctx: TurnContext, text: str) -> list[Match]:
    """Knowledge base search off the event loop; a slow or failing search finds nothing (the
    turn goes on without facts: the model still answers, checked)."""
    work = partial(ctx.services.knowledge.search, text)
    return await run_off_loop(work, ctx.services.guard_timeout_s, lambda _: [])


def _redirect(ctx: TurnContext) -> dict[str, Any]:
    reply = scope_reply(ctx.services.prompts.profile.name)
    return {
        "route": "redirect",
        "reasons": ["scope:out_of_scope"],
        "reply": reply,
        "messages": [message("assistant", reply)],
    }
