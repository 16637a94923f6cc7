"""Every text the bot itself writes: the system prompt and the fixed replies, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guards.company_profile import CompanyProfile

PERSONA_PROMPT = "You are the customer support assistant of {company}."
"""The first line of every system prompt; fine-tuning uses it alone, so the model knows it."""

SYSTEM_PROMPT = """{persona} You are an AI assistant.
Answer the customer's latest message helpfully, politely and briefly (at most 4 sentences).
Support hours: {hours}. Phone: {phone}. Email: {email}. Website: {website}.
Never give medical, legal, financial or tax advice. Never promise refunds or credits yourself.
Text like <PERSON_1> or <EMAIL_ADDRESS_1> stands for the customer's own details: keep it as is.
Confidential marker, never repeat it: {canary}"""

FACTS_HEADER = "Facts you may state (state no other figures, prices or contact details):"
"""Introduces the knowledge base answers retrieved for the turn, one per line."""

HANDOFF_REPLY = (
    "I'm connecting you with a member of our support team. "
    "A person will reply here as soon as possible."
)
HUMAN_REQUEST_HANDOFF_REPLY = (
    "Thank you for reaching out. I understand you would like to talk to a live agent, and I'm "
    "connecting you with a member of our customer support team right now. Please stay in this "
    "chat: an agent will join and reply here as soon as possible to help you with your concerns."
)
"""The handoff reply when the customer asked for a person."""
COMPLAINT_HANDOFF_REPLY = (
    "I'm sorry to hear that you've had a negative experience, and thank you for bringing it to "
    "our attention. I'm connecting you with a member of our customer support team, who will "
    "review your complaint and reply here as soon as possible. If you'd like, add any details "
    "that may help them, such as what happened and your order number."
)
"""The handoff reply to a complaint: acknowledged, and what the person will need."""
HANDOFF_HOURS = (
    "Our support team is available {hours}, and you can also call them on {phone} or email {email}."
)
"""Ends every handoff reply, with the company profile's hours and contact details: a customer
handed to a person learns when one will answer and how else to reach the team (triage hands
off "what number do I dial?")."""
HANDOFF_PENDING_REPLY = (
    "Your message has been added to your request. A member of our support team will reply here."
)
REFUSAL_REPLY = (
    "I'm sorry, I can't help with that request. "
    "I'm happy to help with orders, deliveries, refunds, payments or your account."
)
REDACTION_FAILED_REPLY = "Sorry, I couldn't process that message. Please try again in a moment."
"""When redaction fails, the message goes no further, and the customer is asked to resend."""
MODEL_DOWN_REPLY = (
    "I'm sorry, I can't answer right now. "
    "I'm connecting you with a member of our support team instead."
)
CLEAN_ENDING = (
    "I'm sorry, I can't say more about that here. "
    "I can connect you with a member of our support team if you'd like."
)
RETRY_NOTE = (
    "Your previous draft was withheld before the customer saw it ({reasons}). Write a new "
    "reply: brief, factual, no medical, legal, financial or tax advice, no promises of refunds "
    "or credits, no repetition. If you cannot help, offer to connect the customer with a "
    "member of our support team."
)
"""Appended to the system prompt when a reply is regenerated after its first sentence failed."""
UNFINISHED_LIST_ENDING = (
    "I'm sorry, I can't list those steps here. "
    "I can connect you with a member of our support team if you'd like."
)
"""Ends a reply whose last sentence announced steps that the output check withheld."""
OFFER_HUMAN_SUFFIX = " If you'd prefer, I can connect you with a member of our support team."
SCOPE_REPLY = (
    "I'm the customer support assistant of {company}, so I can't help with that here. "
    "I'm happy to help with your orders, deliveries, returns, refunds, payments or your account."
)
"""The redirect for a request outside the company's business (decided before the model)."""
GREETING_REPLY = "Hello! I'm the {company} support assistant. How can I help you today?"
THANKS_REPLY = "You're welcome! Is there anything else I can help you with?"
GOODBYE_REPLY = "Thank you for contacting {company}. Have a great day!"
"""Replies to a message that is only a greeting, a thank-you or a goodbye (`graphs.small_talk`)."""
AGENT_DRAFT_NOTE = (
    "A member of our support team has taken this conversation over from the assistant. Write "
    "the reply they will send to the customer's latest message: as a person on the support team, "
    "about the customer's request, without offering to connect them with anyone."
)
"""Added to the system prompt when the model drafts a reply for a human agent."""


def persona_prompt(company: str) -> str:
    return PERSONA_PROMPT.format(company=company)


def scope_reply(company: str) -> str:
    return SCOPE_REPLY.format(company=company)


def knowledge_fallback(fact: str) -> str:
    """What the customer gets when the model's reply fails but the knowledge base answers."""
    return fact.strip() + OFFER_HUMAN_SUFFIX


@dataclass(frozen=True)
class PromptBook:
    """The system prompt for one company, with its canary planted."""

    profile: CompanyProfile
    canary: str
    note: str = ""
    """Said after the rules (`AGENT_DRAFT_NOTE` when drafting for a human agent)."""

    def system_prompt(self, facts: Sequence[str] = ()) -> str:
        """The rules and the company's details, the note if any, plus this turn's facts when
        there are any."""
        p = self.profile
        prompt = SYSTEM_PROMPT.format(
            persona=persona_prompt(p.name),
            hours=p.support_hours,
            phone=p.phone,
            email=p.email,
            website=p.website,
            canary=self.canary,
        )
        lines = [FACTS_HEADER, *(f"- {fact}" for fact in facts)] if facts else []
        return "\n".join([prompt, *([self.note] if self.note else []), *lines])


def handoff_reply(intent: str, reasons: Sequence[str], profile: CompanyProfile) -> str:
    """What the customer reads when a person takes over: why, in the customer's terms, when
    the team works and how else to reach it."""
    team = HANDOFF_HOURS.format(
        hours=profile.support_hours, phone=profile.phone, email=profile.email
    )
    return f"{_handoff_reason_reply(intent, reasons)} {team}"


def _handoff_reason_reply(intent: str, reasons: Sequence[str]) -> str:
    if "model_unavailable" in reasons:
        return MODEL_DOWN_REPLY
    if "explicit_human_request" in reasons or intent == "contact_human_agent":
        return HUMAN_REQUEST_HANDOFF_REPLY
    if intent == "complaint":
        return COMPLAINT_HANDOFF_REPLY
    return HANDOFF_REPLY
