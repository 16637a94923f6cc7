"""Agent assist: what helps a human agent with a conversation the bot handed over.

`case_summary` condenses the transcript into a few lines. It is extractive: the customer's own
words, shortened, and counts; the transcript is redacted, so the summary is too.

`suggest_reply` drafts the agent's next reply the way the bot answers a customer, with the
graph's own answering steps (`build_suggestion_graph`: ground -> answer -> check_output): the
topical rail and this turn's facts from the knowledge base, the model with those facts in its
prompt (and `AGENT_DRAFT_NOTE`: it writes for the person who took over), every sentence and then
the whole reply through the output check. Nothing of the run is
kept. When the model cannot answer, the knowledge base's closest fact is the draft; with no
such fact, or when the check withheld everything, there is no suggestion (`NoSuggestion`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from opentelemetry.context import Context

from graphs.context import TurnContext
from graphs.graph import build_suggestion_graph
from graphs.prompts import AGENT_DRAFT_NOTE, OFFER_HUMAN_SUFFIX
from graphs.services import ChatServices
from graphs.state import Message, fresh_turn
from guards.output_check import SAFE_FALLBACK_REPLY
from guards.redaction import PlaceholderVault

QUOTE_CHARS = 160
REQUEST_MIN_WORDS = 4
"""The customer's first message of at least this many words states their request ("hi" does not)."""

SuggestionSource = Literal["model", "knowledge", "redirect"]


@dataclass(frozen=True)
class SuggestedReply:
    """A checked draft for the agent (redacted, like everything the agent reads)."""

    text: str
    source: SuggestionSource
    """model: the model wrote it; knowledge: the knowledge base's answer (a close match, or the
    closest fact when the model could not answer); redirect: the request is outside the business."""
    reasons: tuple[str, ...] = ()
    """What the output check withheld or changed, and why (or why the model was not used)."""


class NoSuggestion(RuntimeError):
    """Nothing checked to suggest (the message says why)."""


def case_summary(transcript: Sequence[Message]) -> str:
    """The conversation so far in a few lines (one per line): the customer's request and latest
    words, and how many replies the assistant and agents gave (the last one quoted)."""
    said = {role: [m["content"] for m in transcript if m["role"] == role] for role in _ROLES}
    customer = said["user"]
    if not customer:
        return "The customer has not written yet."
    request = next((text for text in customer if len(text.split()) >= REQUEST_MIN_WORDS), "")
    lines = [f"Customer asked: {_quoted(request or customer[0])}"]
    if customer[-1] != (request or customer[0]):
        lines.append(f"Latest from the customer: {_quoted(customer[-1])}")
    lines.append(_replies("The assistant", said["assistant"]))
    if said["agent"]:
        lines.append(_replies("Agents", said["agent"]))
    return "\n".join(lines)


_ROLES = ("user", "assistant", "agent")


def _replies(who: str, replies: list[str]) -> str:
    if not replies:
        return f"{who} has not replied"
    times = "once" if len(replies) == 1 else f"{len(replies)} times"
    return f"{who} replied {times}, last: {_quoted(replies[-1])}"


def _quoted(text: str) -> str:
    """One line of at most QUOTE_CHARS, cut at a word, in quotes."""
    flat = " ".join(text.split())
    if len(flat) > QUOTE_CHARS:
        flat = flat[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    return f"“{flat}”"


async def suggest_reply(
    services: ChatServices,
    conversation_id: str,
    transcript: Sequence[Message],
    vault: PlaceholderVault,
    trace_parent: Context | None = None,
) -> SuggestedReply:
    """A reply to the customer's latest message, grounded and checked like the bot's own. The
    model reads the conversation up to that message (a chat ends with the customer's words)."""
    latest = max((i for i, m in enumerate(transcript) if m["role"] == "user"), default=-1)
    if latest < 0:
        raise NoSuggestion("the customer has not written yet")
    drafting = replace(services, prompts=replace(services.prompts, note=AGENT_DRAFT_NOTE))
    ctx = TurnContext(conversation_id, "", vault, drafting, trace_parent=trace_parent)
    messages, user_text = list(transcript[: latest + 1]), transcript[latest]["content"]
    start = {**fresh_turn(), "messages": messages, "user_text": user_text}
    return _suggested(await _suggestion_graph().ainvoke(start, context=ctx))


@cache
def _suggestion_graph() -> Any:
    return build_suggestion_graph()


def _suggested(final: dict[str, Any]) -> SuggestedReply:
    reply = final.get("reply", "").strip()
    if final.get("route") == "redirect":
        return SuggestedReply(reply, "redirect", tuple(final.get("reasons", [])))
    if final.get("route") == "handoff":
        raise NoSuggestion("the model is unavailable and no knowledge base fact answers this")
    if not reply or reply == SAFE_FALLBACK_REPLY:
        raise NoSuggestion("the output check withheld everything the model wrote")
    source: SuggestionSource = "model" if final.get("answered_by") == "model" else "knowledge"
    text = reply.removesuffix(OFFER_HUMAN_SUFFIX.strip()).strip()  # the agent is the human
    return SuggestedReply(text, source, tuple(final.get("output_reasons", [])))
