"""Ground: keep the bot on topic and find the company's facts for this turn, before the model.

A request outside the company's business gets a short, polite redirect and never reaches the
model (one the company's knowledge base clearly answers is its business, whatever the topical
rail says: on short questions such as "how many business days for a refund" it errs).
Otherwise the knowledge base entries closest to the message become this turn's `facts`: the
prompt states them, the output check accepts their figures, and the customer gets them (with
the offer of a human) if the model's reply fails. An entry that clearly matches the message is
the turn's answering fact: a policy begins the reply and the model goes on from it; steps to
take follow the model's reply, unless it already states them. An FAQ asked almost word for
word is answered by its entry alone: the company's own words beat a generated guess.
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
ANSWERING_FACT_MIN_SCORE = 0.6
"""Above this, the best entry answers the message if it stands clear of the next one by
`ANSWERING_FACT_MIN_MARGIN`; the reply begins with it. Set on the policy questions of the
first two blind sets (260, now development data): the best entry is the right one for 91%
of them, but only 55% scored 0.7; at 0.6 with the margin, 73% are answered and 96% of
those with the right entry."""
ANSWERING_FACT_MIN_MARGIN = 0.05
CLEAR_ANSWER_MIN_SCORE = 0.7
"""Above this, the best entry answers the message whatever the margin (at 0.7 the best entry
is the right one for 88% of the sample knowledge base's own questions, each left out)."""
DIRECT_ANSWER_MIN_SCORE = 0.9
"""Above this (an FAQ asked almost word for word), the entry is the reply, without the model.
At 0.7 it answered 9 of 54 held-out Bitext requests by itself, some with the wrong entry for
what was asked ("set the shipping address up" got the policy for changing an order's address),
where the model's reply with the fact after it serves both."""


async def ground(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("ground", ctx) as span:
        scope = await run_guard_async(
            ctx.services.scope_check, state["user_text"], ctx.services.guard_timeout_s,
            span_context(span), ctx.services.metrics.count_verdict,
        )  # fmt: skip
        matches = await _search(ctx, state["user_text"])
        answering = _answering_match(matches)
        if not scope.allowed and scope.category == "out_of_scope" and answering is None:
            return _redirect(ctx)  # what the company's own knowledge answers is its business
        relevant = [m for m in matches if m.score >= FACT_MIN_SCORE]
        span.set_attribute("ground.facts", [m.entry.id for m in relevant])
        span.set_attribute("ground.best_score", matches[0].score if matches else 0.0)
        return {
            "facts": [m.entry.answer for m in relevant],
            "answering_fact": answering.entry.answer if answering else "",
            "fact_leads": answering is not None and answering.entry.leads,
            "knowledge_answer": _best_above(relevant, DIRECT_ANSWER_MIN_SCORE),
        }


def _answering_match(matches: list[Match]) -> Match | None:
    """The best entry if it clearly answers the message: it scores high, or well enough and
    clear of the next entry (two close entries: the turn has no answering fact)."""
    if not matches:
        return None
    runner_up = matches[1].score if len(matches) > 1 else -1.0
    best = matches[0].score
    clear = best >= ANSWERING_FACT_MIN_SCORE and best - runner_up >= ANSWERING_FACT_MIN_MARGIN
    return matches[0] if clear or best >= CLEAR_ANSWER_MIN_SCORE else None


def _best_above(matches: list[Match], threshold: float) -> str:
    """The best entry's answer if it scores at least `threshold`, else nothing."""
    return matches[0].entry.answer if matches and matches[0].score >= threshold else ""


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
