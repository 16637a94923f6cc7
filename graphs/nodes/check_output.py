"""Check output: the whole reply is reviewed once more before it is final (cross-sentence
problems such as repetition; each sentence was checked and fixed as it was streamed), then
appended to the transcript, still redacted. The review runs off the event loop; if it fails
or is too slow, the reply is replaced by the fallback.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.runtime import Runtime

from graphs.context import TurnContext
from graphs.nodes.common import message, node_span, trace_content
from graphs.prompts import OFFER_HUMAN_SUFFIX, knowledge_fallback
from graphs.state import ConversationState
from guards.off_loop import failure_kind, run_off_loop
from guards.output_check import SAFE_FALLBACK_REPLY, OutputReview


async def check_output(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("check_output", ctx) as span:
        work = partial(ctx.services.output_check.review_released, state.get("draft", ""))
        review = await run_off_loop(work, ctx.services.guard_timeout_s, _unreviewed)
        reply = review.reply if review.verdict != "block" and review.reply.strip() else ""
        fell_back = not reply or state.get("answered_by") == "fallback"
        reply = reply or _fallback(state)
        offer = state.get("offer_human", False) and not fell_back
        if offer:
            reply += OFFER_HUMAN_SUFFIX
        trace_content(span, ctx, "guardchat.reply.redacted", reply)
        span.set_attribute("output.verdict", review.verdict)
        span.set_attribute("output.reasons", list(review.reasons))
        return {
            "reply": reply,
            "output_reasons": [*state.get("output_reasons", []), *review.reasons],
            "human_offered": state.get("human_offered", False) or offer or fell_back,
            "answered_by": "fallback" if fell_back else state.get("answered_by", "model"),
            "messages": [message("assistant", reply)],
        }


def _unreviewed(error: Exception) -> OutputReview:
    return OutputReview("block", SAFE_FALLBACK_REPLY, (f"output:{failure_kind(error)}",))


def _fallback(state: ConversationState) -> str:
    """Nothing of the reply survived: the knowledge base's answer if there is one, else the
    safe reply; both offer a human."""
    facts = state.get("facts", [])
    return knowledge_fallback(facts[0]) if facts else SAFE_FALLBACK_REPLY
