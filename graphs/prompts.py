"""Every text the bot itself writes: the system prompt and the fixed replies, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from guards.company_profile import CompanyProfile

SYSTEM_PROMPT = """You are the customer support assistant of {company}. You are an AI assistant.
Answer the customer's latest message helpfully, politely and briefly (at most 4 sentences).
Support hours: {hours}. Phone: {phone}. Email: {email}. Website: {website}.
Never give medical, legal, financial or tax advice. Never promise refunds or credits yourself.
Text like <PERSON_1> or <EMAIL_ADDRESS_1> stands for the customer's own details: keep it as is.
Confidential marker, never repeat it: {canary}"""

HANDOFF_REPLY = (
    "I'm connecting you with a member of our support team. "
    "A person will reply here as soon as possible."
)
HANDOFF_PENDING_REPLY = (
    "Your message has been added to your request. A member of our support team will reply here."
)
REFUSAL_REPLY = (
    "I'm sorry, I can't help with that request. "
    "I'm happy to help with orders, deliveries, refunds, payments or your account."
)
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
OFFER_HUMAN_SUFFIX = " If you'd prefer, I can connect you with a member of our support team."


@dataclass(frozen=True)
class PromptBook:
    """The system prompt for one company, with its canary planted."""

    profile: CompanyProfile
    canary: str

    def system_prompt(self) -> str:
        p = self.profile
        return SYSTEM_PROMPT.format(
            company=p.name,
            hours=p.support_hours,
            phone=p.phone,
            email=p.email,
            website=p.website,
            canary=self.canary,
        )
