"""Ground: keep the bot on topic and find the company's facts for this turn, before the model.

A request outside the company's business gets a short, polite redirect and never reaches the
model (one the company's knowledge base clearly answers, or that triage is all but certain is
one of the support intents, is its business, whatever the topical rail says: on short or
misspelt requests such as "how many business days for a refund" or "do udeliver to Valencia"
it errs).
Otherwise the knowledge base entries closest to the message become this turn's `facts`: the
prompt states them, the output check accepts their figures, and the customer gets them (with
the offer of a human) if the model's reply fails. An entry that clearly matches the message is
the turn's answering fact: a policy begins the reply and the model goes on from it; steps to
take follow the model's reply, unless it already states them, and so does a policy that only
likely answers the message. An FAQ asked almost word for word is answered by its entry
alone: the company's own words beat a generated guess, and so is a message that is only a
greeting, a thank-you or a goodbye (`graphs.small_talk`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.runtime import Runtime
from opentelemetry.trace import Span

from graphs.context import TurnContext
from graphs.nodes.common import message, node_span, span_context
from graphs.prompts import scope_reply
from graphs.small_talk import small_talk_reply
from graphs.state import ConversationState
from guards.knowledge import FACT_MIN_SCORE, Match, answering_match, likely_match
from guards.off_loop import run_off_loop
from guards.verdict import Verdict, run_guard_async

SURE_INTENT_MIN_CONFIDENCE = 0.95
"""Triage this sure of a support intent overrules the topical rail. On the scope development
sets and 1,000 Bitext training requests, the rail redirected 34 support requests (25 of them
Bitext's, such as "I would like to make a reclamation"); this kept 16 of them with the bot and
redirected none fewer of the 662 out-of-scope requests it caught (at 0.9: 18 and 2, such as
"Draft a blog post about productivity tips" read as a review at 0.93)."""
FOLLOW_UP_MAX_WORDS = 8
"""A message this short may be a follow-up: the knowledge base reads it with the customer's
previous message too ("ok how do I do that?" after "I'd like to send back a pair of shoes"
matched nothing on its own, and the return steps with it; "do you ship to Canada?" after a
refund question still matches the shipping countries)."""
DIRECT_ANSWER_MIN_SCORE = 0.9
"""Above this (an FAQ asked almost word for word), the entry is the reply, without the model.
At 0.7 it answered 9 of 54 held-out Bitext requests by itself, some with the wrong entry for
what was asked ("set the shipping address up" got the policy for changing an order's address),
where the model's reply with the fact after it serves both."""


async def ground(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("ground", ctx) as span:
        if chat := small_talk_reply(state["user_text"], ctx.services.prompts.profile.name):
            span.set_attribute("ground.small_talk", True)
            return _in_company_words(chat)
        scope = await run_guard_async(
            ctx.services.scope_check, state["user_text"], ctx.services.guard_timeout_s,
            span_context(span), ctx.services.metrics.count_verdict,
        )  # fmt: skip
        matches = await _search(ctx, state["user_text"], _follow_up_context(state))
        answering = answering_match(matches)
        if is_out_of_scope(scope, answering, state.get("confidence", 0.0)):
            return _redirect(ctx)
        return _grounded(matches, answering, span)


def _grounded(matches: list[Match], answering: Match | None, span: Span) -> dict[str, Any]:
    """This turn's facts: the relevant entries, the one that answers (or likely answers) the
    message, and the entry's own answer when it was asked almost word for word."""
    relevant = [m for m in matches if m.score >= FACT_MIN_SCORE]
    span.set_attribute("ground.facts", [m.entry.id for m in relevant])
    span.set_attribute("ground.best_score", matches[0].score if matches else 0.0)
    return {
        "facts": [m.entry.answer for m in relevant],
        "answering_fact": _answering_fact(answering or likely_match(matches)),
        "fact_leads": answering is not None and answering.entry.leads,
        "knowledge_answer": _best_above(relevant, DIRECT_ANSWER_MIN_SCORE),
    }


def is_out_of_scope(scope: Verdict, answering: Match | None, intent_confidence: float) -> bool:
    """Whether the turn gets the redirect: the topical rail says the message is outside the
    business, the company's knowledge base does not clearly answer it, and triage is not all
    but certain of its support intent."""
    rail = not scope.allowed and scope.category == "out_of_scope"
    return rail and answering is None and intent_confidence < SURE_INTENT_MIN_CONFIDENCE


def _in_company_words(reply: str) -> dict[str, Any]:
    """A turn answered by ``reply`` alone (checked like any reply), without facts or model."""
    return {"facts": [], "answering_fact": "", "fact_leads": False, "knowledge_answer": reply}


def _answering_fact(match: Match | None) -> str:
    return match.entry.answer if match else ""


def _best_above(matches: list[Match], threshold: float) -> str:
    """The best entry's answer if it scores at least `threshold`, else nothing."""
    return matches[0].entry.answer if matches and matches[0].score >= threshold else ""


def _follow_up_context(state: ConversationState) -> str:
    """The customer's previous message when this one is short enough to be a follow-up
    ("what about express?" after "How long does standard shipping take?"), else ""."""
    if len(state["user_text"].split()) > FOLLOW_UP_MAX_WORDS:
        return ""
    said = [m["content"] for m in state.get("messages", []) if m["role"] == "user"]
    return said[-2] if len(said) > 1 else ""


async def _search(ctx: TurnContext, text: str, context: str = "") -> list[Match]:
    """Knowledge base search off the event loop; a slow or failing search finds nothing (the
    turn goes on without facts: the model still answers, checked)."""
    work = partial(ctx.services.knowledge.search, text, context=context)
    return await run_off_loop(work, ctx.services.guard_timeout_s, lambda _: [])


def _redirect(ctx: TurnContext) -> dict[str, Any]:
    reply = scope_reply(ctx.services.prompts.profile.name)
    return {
        "route": "redirect",
        "reasons": ["scope:out_of_scope"],
        "reply": reply,
        "messages": [message("assistant", reply)],
    }
