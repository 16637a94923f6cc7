"""Small talk: a message that is only a greeting, a thank-you or a goodbye gets a short reply
in the company's words, without the model. The fine-tuned model knows Bitext's 27 support
intents and no small talk: "hello" got "I apologize for any inconvenience ... please provide
the message you received, the date, and the name of the customer". A greeting with a request
("hi, where is my order?") is a request, and goes on as one.
"""

from __future__ import annotations

import re

from graphs.prompts import GOODBYE_REPLY, GREETING_REPLY, THANKS_REPLY

_OPENER = r"(?:(?:ok(?:ay)?|great|perfect|cool|brilliant|awesome|lovely|super|nice|fab)\W+)?"
_END = r"[\s!.,:;)(]*(?::\)|:-\)|[😊🙂👍🙏])?[\s!.]*$"
GREETING = re.compile(
    r"^\W*(?:hi|hii+|hello+|hey+|hiya|howdy|heya|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|hallo|hola|bonjour|salut|ciao|hej|moin|buenos\s+d[ií]as|guten\s+(?:tag|morgen))"
    r"(?:\s+(?:there|team|all|everyone|folks|guys|again|acme))?(?:\W+is\s+any(?:one|body)\s+there\??)?"
    + _END,
    re.IGNORECASE,
)
THANKS = re.compile(
    _OPENER + r"(?:thanks|thank\s+you|thx|ty|cheers|ta|many\s+thanks|merci|gracias|danke)"
    r"(?:\s+(?:so|very)\s+much|\s+a\s+lot|\s+a\s+million)?(?:\s+for\s+(?:your|the|all\s+your)\s+help)?"
    + _END,
    re.IGNORECASE,
)
GOODBYE = re.compile(
    _OPENER + r"(?:(?:thanks|thank\s+you)\W+)?(?:bye|bye\s+bye|goodbye|good\s+bye|see\s+you|cya"
    r"|that'?s\s+(?:all|it)|that\s+is\s+all|nothing\s+else|have\s+a\s+(?:good|nice|great)\s+day)"
    r"(?:\W+(?:thanks|thank\s+you|bye))?" + _END,
    re.IGNORECASE,
)


def small_talk_reply(text: str, company: str) -> str:
    """The reply to a message that is only small talk, else ""."""
    message = text.strip()
    if GOODBYE.match(message):
        return GOODBYE_REPLY.format(company=company)
    if THANKS.match(message):
        return THANKS_REPLY
    return GREETING_REPLY.format(company=company) if GREETING.match(message) else ""
