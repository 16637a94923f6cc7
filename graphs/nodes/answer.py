"""Answer: the model replies to the redacted conversation, grounded in this turn's facts;
each sentence is checked before it is released to the customer, so nothing unchecked is ever
streamed. A knowledge base answer that matched the message closely is released the same way,
without the model.

A reply whose first sentence fails is regenerated once, with the reasons in the prompt: the
customer has seen nothing yet. A sentence failing later ends the stream with a clean ending.
When the model cannot answer at all, the knowledge base's answer (if any) and the offer of a
human stand in; without one, a human takes over. A policy that answers the message begins the
reply, and the model goes on from it (the customer reads the company's answer first, and the
model builds on it instead of contradicting it); any other entry that answers the message
follows the model's reply unless the reply states it, and so does a policy that likely answers
it (a return window, a refund time).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from langgraph.config import get_stream_writer
from langgraph.runtime import Runtime
from opentelemetry.propagate import inject
from opentelemetry.trace import Span

from graphs.context import TurnContext
from graphs.nodes.common import node_span
from graphs.prompts import (
    CLEAN_ENDING,
    OFFER_HUMAN_SUFFIX,
    RETRY_NOTE,
    UNFINISHED_LIST_ENDING,
    knowledge_fallback,
)
from graphs.services import ModelUnavailable
from graphs.state import ConversationState, Message
from guards.off_loop import failure_kind, run_off_loop
from guards.output_check import OutputReview, SentenceStream
from guards.output_check.grounding import figures

MAX_HISTORY_MESSAGES = 12
CONTINUATION_MAX_NEW_TOKENS = 64
"""After the policy that answers the question, the model adds a sentence or two, not a second
answer: with 160 tokens, ten conversations at once took the turn p95 from 21 s to 27 s, and
the longer the 270M model went on, the more it claimed of its own ("transaction fees may
apply")."""
SENTENCE_ENDINGS = (".", "!", "?", "…", ":", ")", '"', "'")
LIST_STEP = re.compile(r"(\d+)\.(\s)")
CONTENT_WORD = re.compile(r"[a-z]{4,}")
FACT_SENTENCE = re.compile(r"(?<=[.!?])\s+")
COMMON_WORDS = {"with", "your", "that", "they", "this", "from", "have", "will", "what", "when"}


@dataclass(frozen=True)
class Attempt:
    """How one generation ended: whether a sentence was withheld, and why."""

    blocked: bool
    reasons: tuple[str, ...] = ()


async def answer(state: ConversationState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    ctx = runtime.context
    with node_span("answer", ctx) as span:
        if state.get("knowledge_answer"):
            attempt = await _stream_checked(_once(state["knowledge_answer"]), state, ctx)
            return _drafted(ctx, [attempt], "knowledge", span)
        led = await _lead_with_fact(state, ctx, span)
        try:
            attempts = await _attempts(state, ctx, span)
        except ModelUnavailable as exc:
            span.set_attribute("answer.model_unavailable", str(exc))
            return await _without_model(state, ctx, span, led)
        await _with_missing_fact(state, ctx, span)
        if not attempts[-1].blocked:
            await _close_unfinished_list(state, ctx)
        return _drafted(ctx, attempts, "model", span)


def _drafted(ctx: TurnContext, attempts: list[Attempt], by: str, span: Span) -> dict[str, Any]:
    """The released sentences as the draft; a blocked stream ends cleanly, not mid-thought."""
    released = ctx.streamed
    if attempts[-1].blocked and released:
        get_stream_writer()({"delta": _gap(released) + CLEAN_ENDING})
        released.append(CLEAN_ENDING)
    span.set_attribute("answer.by", by)
    span.set_attribute("answer.sentences", len(released))
    span.set_attribute("answer.blocked", attempts[-1].blocked)
    return {"draft": _joined(released), "output_reasons": _reasons(attempts), "answered_by": by}


def _joined(released: Sequence[str]) -> str:
    """The released sentences as the customer reads them."""
    return "".join(_gap(released[:i]) + piece for i, piece in enumerate(released)).strip()


def _gap(released: Sequence[str]) -> str:
    """What goes before the next sentence: a space, or nothing after a line break."""
    return "" if not released or released[-1].endswith("\n") else " "


def _renumbered(text: str, released: Sequence[str]) -> str:
    """A numbered step continues the list as the customer sees it (1., 2., 3.), even when the
    model skipped a number or an earlier step was withheld."""
    match = LIST_STEP.match(text)
    if match is None:
        return text
    earlier = 0
    for piece in reversed(released):
        if not LIST_STEP.match(piece):
            break
        earlier += 1
    return f"{earlier + 1}.{match.group(2)}{text[match.end() :]}"


def _with_line_break(text: str, sentence: str) -> str:
    """`text`, ending in a line break where the model's sentence did (list steps stay apart)."""
    return text + "\n" if "\n" in sentence[len(sentence.rstrip()) :] else text


async def _without_model(
    state: ConversationState, ctx: TurnContext, span: Span, led: bool = False
) -> dict[str, Any]:
    """The knowledge base's answer (unless the reply began with it) and the offer of a human,
    or else a human takes over."""
    facts = state.get("facts", [])
    if led or (facts and not ctx.streamed):
        text = OFFER_HUMAN_SUFFIX.strip() if led else knowledge_fallback(facts[0])
        attempt = await _stream_checked(_once(text), state, ctx)
        drafted = _drafted(ctx, [attempt], "fallback", span)
        reasons = ["model_unavailable", *drafted["output_reasons"]]
        return {**drafted, "output_reasons": reasons, "human_offered": True}
    return {"route": "handoff", "reasons": [*state.get("reasons", []), "model_unavailable"]}


async def _lead_with_fact(state: ConversationState, ctx: TurnContext, span: Span) -> bool:
    """Begin the reply with the policy that answers the message, if there is one; the model
    goes on from it. A model that is told the fact in its prompt often answers from its
    training instead ("No, returns are subject to the same terms ..."); one that continues
    its own statement of the fact builds on it, and the customer reads the answer first."""
    fact = state.get("answering_fact", "")
    if not fact or not state.get("fact_leads", False):
        return False
    attempt = await _stream_checked(_once(fact), state, ctx)
    span.set_attribute("answer.led_with_fact", not attempt.blocked)
    return not attempt.blocked and bool(ctx.streamed)


async def _with_missing_fact(state: ConversationState, ctx: TurnContext, span: Span) -> None:
    """The turn's fact after the model's reply when the reply did not state it: the model
    often ignores the facts in its prompt ("usually three to five days"). It follows a reply
    cut short by a withheld sentence too: the customer still gets what was asked."""
    fact = _missing_fact(state, "".join(ctx.streamed))
    if not fact or not ctx.streamed:
        return
    span.set_attribute("answer.fact_added", True)
    await _stream_checked(_once(fact), state, ctx)


async def _close_unfinished_list(state: ConversationState, ctx: TurnContext) -> None:
    """A reply that ends announcing what never came ("Here's what to do:", then the model
    stopped or its steps were withheld) ends with the offer of a human, not a colon."""
    if ctx.streamed and ctx.streamed[-1].rstrip().endswith(":"):
        await _stream_checked(_once(UNFINISHED_LIST_ENDING), state, ctx)


def _missing_fact(state: ConversationState, reply: str) -> str:
    """What the reply leaves unsaid of the answering fact, sentence by sentence."""
    answering = state.get("answering_fact", "")
    if not answering:
        return ""
    return " ".join(s for s in FACT_SENTENCE.split(answering) if not _states(reply, s))


def _states(reply: str, fact: str) -> bool:
    """Whether ``reply`` states ``fact``: its figures and at least half of its words."""
    words = _content_words(fact)
    shared = words & _content_words(reply)
    return _states_figures(reply, fact) and len(shared) >= len(words) / 2


def _content_words(text: str) -> set[str]:
    """Words of four letters or more, cut to five letters ("cancelled" meets "cancel")."""
    return {word[:5] for word in CONTENT_WORD.findall(text.lower())} - COMMON_WORDS


def _states_figures(reply: str, fact: str) -> bool:
    """Whether ``reply`` states every figure of ``fact`` (a fact without figures: yes)."""
    stated = set(figures(reply))
    return all(figure in stated for figure in figures(fact))


async def _once(text: str) -> AsyncIterator[str]:
    yield text


async def _attempts(state: ConversationState, ctx: TurnContext, span: Span) -> list[Attempt]:
    """The first generation and, if it failed before anything was released, one retry."""
    first = await _stream_checked(_model_reply(state, ctx), state, ctx)
    if not first.blocked or ctx.streamed:
        return [first]
    span.add_event("answer.regenerate", {"output.reasons": list(first.reasons)})
    note = RETRY_NOTE.format(reasons=", ".join(first.reasons) or "failed check")
    return [first, await _stream_checked(_model_reply(state, ctx, note), state, ctx)]


def _reasons(attempts: list[Attempt]) -> list[str]:
    """Output reasons for the state: what was withheld, and whether the reply was retried."""
    reasons = [reason for attempt in attempts for reason in attempt.reasons]
    reasons += ["output:regenerated"] if len(attempts) > 1 else []
    return reasons + (["output:sentence_blocked"] if attempts[-1].blocked else [])


def _metadata(ctx: TurnContext) -> dict[str, str]:
    """Trace context and conversation id for the model server (it sees no headers)."""
    carrier: dict[str, str] = {"conversation_id": ctx.conversation_id}
    inject(carrier)  # the current span is this node's
    return carrier


def _model_reply(state: ConversationState, ctx: TurnContext, note: str = "") -> AsyncIterator[str]:
    """The model's reply to the conversation so far, as it streams."""
    services = ctx.services
    messages = chat_messages(ctx, state.get("messages", []), note, state.get("facts", []))
    begun = _joined(ctx.streamed)  # what the customer already has of this reply
    if not begun:
        return services.model.stream(messages, services.max_new_tokens, _metadata(ctx))
    messages.append({"role": "assistant", "content": begun})
    budget = min(services.max_new_tokens, CONTINUATION_MAX_NEW_TOKENS)
    deltas = services.model.stream(messages, budget, _metadata(ctx))
    return _unrepeated(deltas, begun)


async def _unrepeated(deltas: AsyncIterator[str], said: str) -> AsyncIterator[str]:
    """The model's sentences that do not say again what its reply began with (the model
    often restates the fact it continues from in its own words)."""
    sentences = SentenceStream()
    async for delta in deltas:
        for sentence in sentences.feed(delta):
            if not _restates(said, sentence):
                yield sentence
    yield sentences.flush()


def _restates(said: str, sentence: str) -> bool:
    """Whether ``sentence`` says nothing new beside ``said``: its figures and at least half of
    its words (three at least; "Anything else?" is not a restatement) are in it."""
    return len(_content_words(sentence)) >= 3 and _states(said, sentence)


async def _stream_checked(
    deltas: AsyncIterator[str], state: ConversationState, ctx: TurnContext
) -> Attempt:
    """Stream a reply, releasing each sentence only once it passes the check."""
    write = get_stream_writer()
    sentences = SentenceStream()
    async for delta in deltas:
        for sentence in sentences.feed(delta):
            withheld = await _release(sentence, state, ctx, write)
            if withheld is not None:
                return Attempt(True, withheld)
    tail = sentences.flush()
    withheld = await _release(tail, state, ctx, write) if _finished(tail, ctx) else None
    return Attempt(withheld is not None, withheld or ())


def _finished(tail: str, ctx: TurnContext) -> bool:
    """Whether the text left after the last sentence is worth sending: not empty, and not a
    sentence the token limit cut off mid-way (unless it is all there is)."""
    text = tail.strip()
    return bool(text) and (text.endswith(SENTENCE_ENDINGS) or not ctx.streamed)


async def _release(
    sentence: str, state: ConversationState, ctx: TurnContext, write: Any
) -> tuple[str, ...] | None:
    """Send ``sentence`` (as fixed) if it passes; the reasons it was withheld if not. The
    check runs off the event loop; if it fails or is too slow, the sentence is withheld."""
    check = ctx.services.output_check.review_sentence
    work = partial(
        check,
        sentence,
        user_text=state["user_text"],
        vault=ctx.vault,
        released=ctx.streamed,
        facts=state.get("facts", []),
    )
    review = await run_off_loop(work, ctx.services.guard_timeout_s, _withheld)
    if review.verdict == "block":
        return review.reasons
    piece = _with_line_break(_renumbered(review.reply.strip(), ctx.streamed), sentence)
    if piece.strip() and not _said(piece, ctx.streamed):
        write({"delta": _gap(ctx.streamed) + piece})
        ctx.streamed.append(piece)
    return None


def _said(piece: str, released: Sequence[str]) -> bool:
    """Whether the reply already has this sentence word for word (a fixed sentence and the
    model's restatement of it can come out the same)."""
    return any(piece.strip() == earlier.strip() for earlier in released)


def _withheld(error: Exception) -> OutputReview:
    return OutputReview("block", "", (f"output:{failure_kind(error)}",))


def chat_messages(
    ctx: TurnContext, transcript: list[Message], note: str = "", facts: Sequence[str] = ()
) -> list[dict[str, str]]:
    """System prompt (with this turn's facts and ``note``, if any) and the latest redacted
    turns, in model roles."""
    recent = transcript[-MAX_HISTORY_MESSAGES:]
    turns = [
        {"role": "user" if m["role"] == "user" else "assistant", "content": m["content"]}
        for m in recent
    ]
    while turns and turns[0]["role"] != "user":
        turns.pop(0)
    system = ctx.services.prompts.system_prompt(facts) + (f"\n{note}" if note else "")
    return [{"role": "system", "content": system}, *turns]
