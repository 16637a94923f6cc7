"""Secrets customers type into support chats: passwords, PINs, one-time codes, security answers.

A secret is found by what announces it, in English and the languages customers switch to
('my password is ...', 'pin: 4821', 'mot de passe : ...', 'şifrem ...'), by the shapes
around it ('login user@example.com / hunter2', 'it was either 0909 or 9090'), and for PINs by
a number of four to eight digits shortly after the word. Security answers are ordinary words
('blue peugeot', 'Springfield Elementary'), so they are taken as a phrase after the question.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guards.redaction.patterns import KeyedPattern, KeyedPatternRecognizer


def _split(words: str) -> list[str]:
    """The whitespace-separated words of a literal word list."""
    return words.split()


def _either(words: str) -> str:
    """A regex alternation of the whitespace-separated ``words`` (regexes themselves)."""
    return "|".join(words.split())


_FOREIGN_SECRET_WORDS = _either(
    r"passwort kennwort contraseña contrasena clave mot\s+de\s+passe mdp senha wachtwoord "
    r"şifre(?:m|miz)? sifre(?:m|miz)? parola has[łl]o l[öo]senord salasana adgangskode "
    r"passord пароль"
)
_FOREIGN_TEMPORARY = (
    r"(?:\s+(?:temporaire|provisoire|temporal|provisional|provis[óo]rio|provvisoria|tempor[äa]res|"
    r"tijdelijk|tijdelijke|nouveau|nouvelle|nuevo|nueva|neues|neue|nuovo|nuova|novo|nova))?"
)
"""'mot de passe temporaire ...', 'contraseña temporal ...': the adjective comes after."""
_NOT_POSTAL = r"(?<!area\s)(?<!postal\s)(?<!delivery\s)"
"""An Indian PIN code is a postcode: 'my area pin code is 560001', 'pin code area'."""
_SECRET_WORDS = (
    r"password|passwd|pass\s?word|pwd|pw|passcode|pass\s?code|pass\s?phrase|"
    + _NOT_POSTAL
    + r"pin(?:\s(?:code|number|no)|number)?(?!(?:\s?code)?\s+area)|secret|otp|"
    r"one[- ]time\s+(?:code|password|pin)|verification\s+code|security\s+code|cvv2?|cvc|"
    r"api[\s_\-]?key|access\s+(?:code|token|key)|"
    r"auth(?:entication)?\s+code|login\s+code|2fa\s+code|token|security\s+answer|"
    r"memorable\s+word|code\s+(?:(?:they|you|that|i)\s+)?(?:texted|sent|sms'?d|emailed|got)"
    r"(?:\s+(?:me|to\s+me))?|(?:door|gate|alarm|building|entry|entrance|garage|keypad|lock\s?box|"
    r"key\s?safe|key\s+box)\s+code|(?:backup|recovery|reset|unlock)\s+codes?|"
    r"(?:temp|temporary)\s+(?:password|pin|code)|(?:recovery|seed|backup)\s+(?:phrase|words?)|"
    + r"(?:"
    + _FOREIGN_SECRET_WORDS
    + r")"
    + _FOREIGN_TEMPORARY
)
_CONNECTOR = (
    r"(?:\s+(?:(?:(?:is|was|has\s+been|got|been)\s+(?:changed|set|reset|updated|switched)\s+to|"
    r"is|was|will\s+be|should\s+be|set\s+to|changed\s+to|used\s+to\s+be|reads|"
    r"ist|war|es|era|est|é|è)\b|=|:)|[ \t]*[:=]|\s+is\s+now|\s+is\s+still)"
    r"[ \t]*(?:now\s+|still\s+|either\s+)?"
)
"""What joins a secret word to its value, in English and the languages customers use."""
_SECRET_VALUE = r"[\"'`]?(?P<value>[^\s\"'`]+?)[\"'`]?(?=\s|[,;!?)]+(?:\s|$)|[.:](?:\s|$)|$)"
"""One token, quotes aside; punctuation inside it ('Rg!2019tennis') is part of it."""
_SECRET_STATED = re.compile(r"(?i)\b(?:" + _SECRET_WORDS + r")\b" + _CONNECTOR + _SECRET_VALUE)
"""The value follows on the same line: a heading "Password:" above a numbered list is not one."""
_NOT_QUOTED = r"(?<![\"“'‘])(?<!'s )(?<!’s )"
"""Not a quoted interface message ('"Password must contain 12 characters"') nor a brand
('Victoria's Secret')."""
_SECRET_LATER = re.compile(
    r"(?i)"
    + _NOT_QUOTED
    + r"\b(?:"
    + _SECRET_WORDS
    + r")\b[^.!?\n]{1,40}?\b(?:is|was|=|:|its|it's|it’s)\s+"
    r"(?:either\s+)?" + _SECRET_VALUE
)
_SECRET_ADJACENT = re.compile(r"(?i)\b(?:" + _SECRET_WORDS + r")\b\s+" + _SECRET_VALUE)
_PASS_STATED = re.compile(
    r"(?i)(?:\b(?:my|the)\s+pass(?:\s+is|\s+was|\s*:)|(?:^|\n)[ \t]*pass[ \t]*:)\s*" + _SECRET_VALUE
)
"""'my pass is Qwerty!2024', 'pass: Mango!Tree7': 'pass' alone is often a ticket ('my season
pass is ...')."""
_SECRET_TRIED = re.compile(
    r"(?i)\b(?:" + _SECRET_WORDS + r")\b[^.!?\n]{0,40}?\b(?:tried|typed|entered|used|using|"
    r"put\s+in)\s+" + _SECRET_VALUE
)
"""'password hint said "dog" so I tried Rex2015': what was typed must look like a secret."""
_SECRET_ALTERNATIVE = re.compile(
    r"(?i)"
    + _NOT_QUOTED
    + r"\b(?:"
    + _SECRET_WORDS
    + r"|answer)\b[^.!?\n]{0,40}?\b(?:is|was|be|its|it's)\s+"
    r"(?:either\s+)?[^\s.!?]+[^.!?\n]{0,25}?\bor\s+(?:(?:maybe|perhaps|possibly|just|even)\s+)*"
    + _SECRET_VALUE
)
"""The second guess: 'it was either 0909 or 9090', '... i think, or maybe just fiesta'."""
_CREDENTIAL_PAIR = re.compile(
    r"(?i)\b(?:login|log-in|log\s+in|username|user\s*name|user|e-?mail)\s*:?\s*[^\s/|]+\s*"
    r"[/|]\s*(?:(?:password|pw|pwd)\s*:?\s*)?" + _SECRET_VALUE
)
"""'login ted@example.com / anchorman1': a user name, a slash and the password."""
_EMAIL_SLASH_SECRET = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+[ \t]*[/|][ \t]*" + _SECRET_VALUE
)
"""'noah@example.ch / Matterhorn#4478': an e-mail address, a slash and what looks generated."""
_ONE_TIME_CODE = (
    r"c[óo]digo\s+(?:que\s+me\s+\w+|de\s+(?:verificaci[óo]n|seguridad|confirmaci[óo]n|acceso))"
    r"|code\s+(?:de\s+(?:v[ée]rification|s[ée]curit[ée]|confirmation)|re[çc]u)"
    r"|(?:best[äa]tigungs|verifizierungs|sicherheits)code|verificatiecode"
    r"|codice\s+(?:di\s+(?:verifica|sicurezza)|ricevuto)"
    r"|(?:verification|security|2fa|sms|one[- ]time|login|auth(?:entication)?|confirmation)\s+code"
    r"|code\s+(?:(?:they|you|that|i)\s+)?(?:texted|sent|sms'?d|emailed|got)"
    r"|code\s+(?:from|in)\s+(?:the|your|an?)\s+(?:sms|text|e-?mail|app|message)"
)
"""'the code you texted me', 'the code from the SMS', 'el código que me llegó': a one-time
code follows."""
_PIN_NEARBY = re.compile(
    r"(?i)\b(?:"
    + _NOT_POSTAL
    + r"pin(?!(?:\s?code)?\s+area)|passcode|pass\s?code|otp|"
    + _ONE_TIME_CODE
    + r")\b"
    r"(?:(?!order|ticket|invoice|tracking|ref|case|card\s+ending)[^.!?\n\d]){1,30}?"
    r"(?<![\w#\-])(?P<value>\d{3}[ \-]\d{3}|\d{4,8})(?![\w\-/.,]\d|\w)"
)
"""'my login pin for the app 190287', 'the code they texted me, 883104', 'code 552 918': a PIN
or a one-time code is the first number of its length soon after."""

_PHRASE_STOPS = _either(
    r"i i'm im it its it's or and but so if because like which that when then though tho lol "
    r"haha please pls thanks maybe think not for to in on at with the a an my your is was are "
    r"were be just now doesn't doesnt isn't isnt won't wont can't cant y et und aber pero mais "
    r"maar ama nicht if you we they he she what why how"
)
_PHRASE_WORD = r"(?:(?-i:[A-Z][a-z]{0,2})\.(?=[ \t]+[^\W\d_])|[^\W\d_][\w'’\-]*|\d{2,4}(?!\w))"
"""A word, a year or number ('Lisbon 2004'), or a short abbreviation before a word ('St.
Brigid's')."""
_NEXT_PHRASE_WORD = r"(?:[ \t]+(?!(?:" + _PHRASE_STOPS + r")\b)" + _PHRASE_WORD + r")"
_PHRASE = r"[\"'`“‘]?(?P<value>" + _PHRASE_WORD + _NEXT_PHRASE_WORD + r"{0,3})"
"""Up to four words, stopping before the words that end an answer ('... i think')."""
_ANSWER_WORDS = (
    r"security\s+(?:question\s+)?answer|secret\s+answer|answer\s+(?:to|for)\b[^.!?\n]{0,60}?|"
    r"memorable\s+(?:word|name|place|date)|mother'?s\s+maiden\s+name|maiden\s+name|"
    r"(?:security|secret)\s+(?:word|phrase)"
)
_ANSWER_CONNECTOR = (
    r"\s*(?:\s(?:is|was|would\s+be)|,?\s+(?:i\s+think\s+)?it(?:'s|’s|\s+is|\s+was)|[:=\-])"
    r"\s*(?:either\s+)?"
)
_ANSWER_STATED = re.compile(r"(?i)\b(?:" + _ANSWER_WORDS + r")" + _ANSWER_CONNECTOR + _PHRASE)
"""'security question answer: Springfield Elementary', 'the answer to ... is Ibadan'."""
_ANSWER_AFTER_QUESTION = re.compile(
    r"(?i)\b(?:security|secret)\s+question\b[^.!\n]{0,60}?\banswer(?:\s+(?:is|was)\b|\s*[:=\-])?"
    r"\s+" + _PHRASE
)
"""'the security question was my first car, answer vauxhall corsa'."""
_ANSWER_AFTER_QUOTED_QUESTION = re.compile(
    r"(?i)\bsecurity\s+question\s*[(\"'‘“][^)\"'’”\n]{1,50}[)\"'’”]\s*[:=\-]\s*" + _PHRASE
)
"""'Security question (first pet): Biscuit', "security question 'first job': Pizza Hut"."""
_ANSWER_NEXT_TURN = re.compile(
    r"(?i)\b(?:" + _ANSWER_WORDS + r"|" + _SECRET_WORDS + r")\b[^\n]{0,40}\?[ \t]*\n[ \t]*"
    r"[^\W\d_][\w'’\- ]{0,30}:[ \t]*" + _PHRASE
)
"""'Agent: And the security answer?\nGrace: Soweto1999': the answer is the next turn."""
_SEED_PHRASE = re.compile(
    r"(?i)\b(?:recovery|seed|backup|mnemonic|wallet)\s+(?:phrase|words)\b[^:\n]{0,60}:[ \t]*"
    r"(?P<value>[a-z]+(?:[ \t]+[a-z]+){11,23})\b"
)
"""'Seed words for the test wallet: ...': twelve to twenty-four lower-case words after a colon."""
_PRODUCT_KEY = re.compile(
    r"(?i)\b(?:activation|licen[cs]e|product|serial|registration)\s+(?:code|key)\b"
    r"(?:\s+(?:is|was)|\s*:)?\s+" + _SECRET_VALUE
)
"""'the activation code is KX7-QP2-LM9', 'licence key: ...': it must look generated."""
_PASSPHRASE_SET = re.compile(
    r"(?i)\b(?:password|passphrase|pass\s?word)\s+(?:to|is|was)\s+" + _PHRASE
)
"""'I set the password to correct horse battery staple': three or four words."""
_SECRET_TO = re.compile(r"(?i)\b(?:" + _SECRET_WORDS + r")\s+(?:to|from)\s+" + _SECRET_VALUE)
"""'reset my password to Harbor$2023', 'changed the password from Krak!88': what it was set to
or changed from must look like a secret."""
_SECRET_IN_BRACKETS = re.compile(
    r"(?i)\b(?:" + _SECRET_WORDS + r")\b[^.!?\n()]{0,40}?\(\s*(?P<value>[^\s()]+)\s*\)"
)
"""'the temporary password you sent me (Tmp#88kLq1)'."""
_SECRET_GUESS = re.compile(
    r"(?i)\b(?:" + _SECRET_WORDS + r")\b[^\n]{0,80}?(?:\n[^\n]{0,60}?)?"
    r"(?:\b(?:is|was)\s+it|\bit(?:'s|’s|\s+is|\s+was|\s+might\s+be|\s+could\s+be|\s+should\s+be)"
    r"|\b(?:maybe|probably|perhaps)|\b(?:set|changed|reset|updated|switched)\s+it\s+to"
    r"|\b(?:new|old|current|temporary|temp)\s+one"
    r"(?:\s+(?:is|was|should\s+be|will\s+be|would\s+be))?)"
    r"[ \t]+(?:(?:probably|maybe|perhaps|just|still|now)[ \t]+)?" + _SECRET_VALUE
)
"""A guess or a new value in a later sentence or turn: 'I forgot my PIN. I think it was
4829', 'PIN\\nMargaret: is it 1948?', 'change the password. my new one should be ...'."""
_REFERENCE_SHAPE = re.compile(r"[A-Z]{2,5}-[A-Z0-9\-]*\d")


def _guessed_secret(value: str) -> bool:
    """A guess must look like a secret and not like an order or ticket reference."""
    return _looks_generated(value) and not _REFERENCE_SHAPE.match(value)


_SECRET_BEFORE = re.compile(
    r"(?i)(?<![\w'’])(?P<value>[^\s\"'`]+)\s+(?:as|is|was)\s+(?:my|the)\s+(?:new\s+|old\s+)?"
    r"(?:" + _SECRET_WORDS + r")\b"
)
"""'I used Bluebird#55 as my password', 'Hamster_2019 is my password'."""

_NOT_SECRETS = frozenset(
    _split(
        "not wrong incorrect correct invalid expired reset changed the a an my your too still "
        "working work broken locked same different right ok fine and or but for to it that this "
        "is was be been being now please again already new old forgotten lost stolen being gone "
        "required needed does doesn't isn't wasn't won't didn't dont don't has have case "
        "sensitive empty blank valid strong weak short long simple accepted rejected asked sent "
        "saved in on at of with from by because since so if when what which who how why either "
        "worn off missing here there expiring"
    )
)


def _plausible_secret(value: str) -> bool:
    """Not a filler word, and long enough to be a secret (PINs have four digits)."""
    stripped = value.casefold().strip(".,!?")
    return stripped not in _NOT_SECRETS and len(stripped) >= 3


def _looks_generated(value: str) -> bool:
    """A secret written without 'is'/':' must look like one: digits or symbols in it."""
    return _plausible_secret(value) and bool(re.search(r"[\d\W_]", value))


def _plausible_answer(value: str) -> bool:
    """An answer of three letters or more whose first word is not a filler ('not sure')."""
    return len(value) >= 3 and value.split()[0].casefold() not in _NOT_SECRETS


_NOT_ANSWER_OPENERS = _NOT_SECRETS | frozenset(
    _PHRASE_STOPS.split("|")
    + _split("sorry no yes yeah hmm hold one sec let dunno forgot idk sure ok okay hang wait hi")
)


def _answer_given(value: str) -> bool:
    """An answer in the next turn, not a reply that gives none ('sorry, I forgot it')."""
    return _plausible_answer(value) and value.split()[0].casefold() not in _NOT_ANSWER_OPENERS


def _passphrase(value: str) -> bool:
    """Three or four words, none of them a filler ('to reset it' is not a passphrase)."""
    phrase_words = value.split()
    return len(phrase_words) >= 3 and all(map(_plausible_secret, phrase_words[1:]))


class PasswordRecognizer(KeyedPatternRecognizer):
    """Secrets, less postcodes: in India a 'pin code' is a six-digit postcode."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        if not _DELIVERY_WORDS.search(text):
            return results
        return [r for r in results if not _postal_pin(text, r.start, r.end)]


def _postal_pin(text: str, start: int, end: int) -> bool:
    """Six digits soon after 'pin code' or 'pincode' (the text talks of delivery)."""
    announced = _PIN_CODE_BEFORE.search(text, max(0, start - 20), start) is not None
    return announced and bool(re.fullmatch(r"\d{6}", text[start:end]))


_PIN_CODE_BEFORE = re.compile(r"(?i)\bpin\s?code\b")
_DELIVERY_WORDS = re.compile(r"(?i)\b(?:deliver\w*|area|serviceable|courier|ship\w*|dispatch)\b")


def password_recognizer() -> KeyedPatternRecognizer:
    """Passwords, PINs, one-time codes, keys and security answers: 'my password is hunter2',
    'pin: 4821', 'mi contraseña es perrito99', 'the answer to my security question is ...'."""
    patterns = [
        KeyedPattern("secret stated", _SECRET_STATED, 0.9, _plausible_secret),
        KeyedPattern("secret adjacent", _SECRET_ADJACENT, 0.7, _looks_generated),
        KeyedPattern("secret later", _SECRET_LATER, 0.7, _plausible_secret),
        KeyedPattern("pass stated", _PASS_STATED, 0.7, _looks_generated),
        KeyedPattern("secret tried", _SECRET_TRIED, 0.7, _looks_generated),
        KeyedPattern("secret alternative", _SECRET_ALTERNATIVE, 0.7, _plausible_secret),
        KeyedPattern("credential pair", _CREDENTIAL_PAIR, 0.7, _looks_generated),
        KeyedPattern("pin nearby", _PIN_NEARBY, 0.7),
        KeyedPattern("security answer", _ANSWER_STATED, 0.85, _plausible_answer),
        KeyedPattern("answer after question", _ANSWER_AFTER_QUESTION, 0.8, _plausible_answer),
        KeyedPattern(
            "answer after quoted question", _ANSWER_AFTER_QUOTED_QUESTION, 0.8, _plausible_answer
        ),
        KeyedPattern("answer in the next turn", _ANSWER_NEXT_TURN, 0.8, _answer_given),
        KeyedPattern("e-mail and secret", _EMAIL_SLASH_SECRET, 0.7, _looks_generated),
        KeyedPattern("passphrase", _PASSPHRASE_SET, 0.8, _passphrase),
        KeyedPattern("seed phrase", _SEED_PHRASE, 0.85),
        KeyedPattern("product key", _PRODUCT_KEY, 0.7, _looks_generated),
        KeyedPattern("secret before", _SECRET_BEFORE, 0.7, _looks_generated),
        KeyedPattern("secret set to", _SECRET_TO, 0.7, _looks_generated),
        KeyedPattern("secret in brackets", _SECRET_IN_BRACKETS, 0.7, _guessed_secret),
        KeyedPattern("secret guessed", _SECRET_GUESS, 0.7, _guessed_secret),
    ]
    return PasswordRecognizer("PASSWORD", patterns, ["password", "pin", "secret", "code"])
