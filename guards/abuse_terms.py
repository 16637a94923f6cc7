"""Abusive language shared by the input screen and the output check, as compiled regexes.

Kept in one place so both guards agree on what a slur, a threat or an insult is. The lists
are deliberately short and specific: an angry customer is still a customer.
"""

from __future__ import annotations

import re

_SLUR_STEMS: tuple[str, ...] = (
    r"n[i1!]gg(?:er|a|ah|uh)s?",
    r"f[a@]gg?(?:ot)?s?",
    r"k[i1]kes?",
    r"sp[i1]cs?",
    r"ch[i1]nks?",
    r"wetbacks?",
    r"trann(?:y|ies)",
    r"retard(?:s|ed)?",
    r"gooks?",
    r"towel ?heads?",
    r"sand ?n[i1]gg\w*",
    r"coons?",
    r"pakis?",
)
"""Stems of slurs (matched as whole words, case-insensitively)."""

_THREAT_PHRASES: tuple[str, ...] = (
    r"\b(?:i|we)(?:'ll| will| am going to|'m going to| gonna| shall)\s+(?:\w+\s+){0,2}"
    r"(?:kill|murder|hurt|shoot|stab|beat|strangle|punch|slap|burn|bomb|blow up|attack|find)"
    r"\s+(?:you|u|ya|him|her|them|everyone|all of you|your (?:staff|agents?|family|kids))\b",
    r"\b(?:kill|murder|shoot|stab|hurt)\s+(?:you|u|ya|all of you|everyone)\b",
    r"\bi know where (?:you|u|your \w+) (?:live|work|are)\b",
    r"\bwatch your back\b",
    r"\byou(?:'ll| will) (?:regret|pay for) (?:this|it)\b.*\b(?:hurt|pain|blood|dead|die)\b",
    r"\b(?:burn|blow up|bomb|shoot up)\s+(?:your|the)\s+(?:office|store|shop|warehouse|building|"
    r"place|headquarters|hq)\b",
    r"\byou(?:'re| are) (?:going to be |gonna be )?dead\b",
    r"\b(?:you|u) (?:should|deserve to|better) die\b",
)
"""Threats of violence against staff or others."""

_INSULT_WORDS: tuple[str, ...] = (
    r"idiots?",
    r"stupid",
    r"morons?",
    r"useless",
    r"incompetent",
    r"pathetic",
    r"clowns?",
    r"scam(?:mers?)?",
    r"thie(?:f|ves)",
    r"crooks?",
    r"dumb",
    r"joke",
    r"garbage",
    r"trash",
    r"rubbish",
)

_PROFANITY_WORDS: tuple[str, ...] = (
    r"f+u+c+k+\w*",
    r"f\*+k\w*",
    r"sh[i1]t\w*",
    r"bullshit",
    r"b[i1]tch\w*",
    r"assholes?",
    r"arseholes?",
    r"bastards?",
    r"dickheads?",
    r"cunts?",
    r"wankers?",
    r"motherf\w+",
    r"piss(?:ed)? off",
    r"screw you",
    r"shut up",
)


def _words(stems: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(stems) + r")\b", re.IGNORECASE)


SLUR = _words(_SLUR_STEMS)
THREAT = re.compile("|".join(_THREAT_PHRASES), re.IGNORECASE)
INSULT = _words(_INSULT_WORDS)
PROFANITY = _words(_PROFANITY_WORDS)
INSULT_TO_PERSON = re.compile(
    r"\byou(?:'re| are)\s+(?:\w+\s+){0,2}(?:" + "|".join(_INSULT_WORDS) + r")\b", re.IGNORECASE
)
"""An insult aimed at the reader ("you are an idiot"): fine from a customer, never from the bot."""
