"""Answer: the model replies to the redacted conversation; each sentence is checked before
it is released to the customer, so nothing unchecked is ever streamed.
"""

from __future__ import annotations

from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime
from opentelemetry.propagate import inject

from graphs.nodes.common import node_span
from graphs.prompts import CLEAN_ENDING
from graphs.services import ModelUnavailable
from graphs.state import ConversationState, Message, TurnContext
from guards.output_check import SentenceStream

MAX_HISTORY_MESSAGES = 12


async def answer(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("answer", ctx) as span:
        metadata = _metadata(ctx)
        try:
            released, blocked = await _stream_checked(state, ctx, metadata)
        except ModelUnavailable as exc:
            span.set_attribute("answer.model_unavailable", str(exc))
            return {"route": "handoff", "reasons": [*state.get("reasons", []), "model_unavailable"]}
        if blocked and released:  # end the stream cleanly instead of mid-thought
            released.append(CLEAN_ENDING)
            get_stream_writer()({"delta": CLEAN_ENDING})
        span.set_attribute("answer.sentences", len(released))
        span.set_attribute("answer.blocked", blocked)
        reasons = ["output:sentence_blocked"] if blocked else []
        return {"draft": " ".join(released), "output_reasons": reasons}


def _metadata(ctx: TurnContext) -> dict[str, str]:
    """Trace context and conversation id for the model server (it sees no headers)."""
    carrier: dict[str, str] = {"conversation_id": ctx.conversation_id}
    inject(carrier)  # the current span is this node's
    return carrier


async def _stream_checked(
    state: ConversationState, ctx: TurnContext, metadata: dict[str, str]
) -> tuple[list[str], bool]:
    """Stream the model's reply, releasing each sentence only once it passes the check."""
    services, write = ctx.services, get_stream_writer()
    sentences = SentenceStream()
    model_messages = chat_messages(ctx, state.get("messages", []))
    async for delta in services.model.stream(model_messages, services.max_new_tokens, metadata):
        for sentence in sentences.feed(delta):
            if not _release(sentence, state, ctx, write):
                return ctx.streamed, True
    tail = sentences.flush()
    blocked = bool(tail.strip()) and not _release(tail, state, ctx, write)
    return ctx.streamed, blocked


def _release(sentence: str, state: ConversationState, ctx: TurnContext, write: Any) -> bool:
    review = ctx.services.output_check.review_sentence(
        sentence, user_text=state["user_text"], vault=ctx.vault, released=ctx.streamed
    )
    if review.verdict == "block":
        return False
    if review.reply.strip():
        ctx.streamed.append(review.reply.strip())
        write({"delta": review.reply.strip()})
    return True


def chat_messages(ctx: TurnContext, transcript: list[Message]) -> list[dict[str, str]]:
    """System prompt plus the latest redacted turns, in the model's roles."""
    recent = transcript[-MAX_HISTORY_MESSAGES:]
    turns = [
        {"role": "user" if m["role"] == "user" else "assistant", "content": m["content"]}
        for m in recent
    ]
    while turns and turns[0]["role"] != "user":
        turns.pop(0)
    return [{"role": "system", "content": ctx.services.prompts.system_prompt()}, *turns]
