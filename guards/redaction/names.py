"""Finding people's names that spaCy's small model misses, and dropping the ones it invents.

`NameRecognizer` finds names after phrases that introduce them ("my name is john smith",
"Thanks, Aigerim", "Mr. Okafor") and given names from many cultures (a word list).
`refine_person_span` trims and vets any PERSON span before it is redacted.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from guards.redaction.artifacts import PartsOfSpeech
from guards.redaction.lexicon import fold, phrases, words
from guards.redaction.patterns import make_result


def _split(words: str) -> list[str]:
    """The whitespace-separated words of a literal word list."""
    return words.split()


_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*")
_PARTICLES = frozenset(
    _split(
        "de da del della der den di do dos das du la le van von ter ten bin binti ibn al el y abu"
    )
)
_STRONG_TRIGGERS = re.compile(
    r"(?i)\b(?:(?:my\s+)?(?:full\s+|first\s+|last\s+|legal\s+|sur)?name(?:\s+is|'s|’s|\s*:)?|"
    r"me\s+llamo|mi\s+nombre\s+es|je\s+m'appelle|ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|"
    r"mi\s+chiamo|il\s+mio\s+nome\s+è|meu\s+nome\s+é|mijn\s+naam\s+is|nazywam\s+się|"
    r"benim\s+ad[ıi]m|name\s+on\s+(?:the\s+|my\s+)?(?:account|card|order|booking|parcel|buzzer|bell|doorbell|"
    r"door|intercom|mailbox|letterbox|reservation|package|label)(?:\s+is|\s*:)|"
    r"(?:buzzer|door\s?bell|bell|intercom|klingel|sonnette|citofono|timbre|letterbox|"
    r"mailbox|name\s?plate)"
    r"(?:\s+name)?(?:\s*:|(?:\s+(?:just|only|still))?\s+(?:says|reads|shows|marked|labell?ed))|"
    r"names?\s+(?:is|are)|call\s+me|named|signed|account\s+holder(?:\s+is|:)?|"
    r"card\s*holder(?:\s+name)?(?:\s+is|:)?|under\s+the\s+name(?:\s+of)?|in\s+the\s+name\s+of|"
    r"addressed\s+to|recipient(?:\s+is|:)?|contact\s+person(?:\s+is|:)?|"
    r"(?:mr|mrs|ms|miss|dr|prof|sra|herr|frau|mme|mlle)\.?(?=\s)|mx\.(?=\s))"
)
_WEAK_TRIGGERS = re.compile(
    r"(?i)\b(?:this\s+is|i\s+am|i'm|i’m|im|it's|it’s|here\s+is|me\s+is|"
    r"soy|je\s+suis|ich\s+bin|hier\s+ist|sono|sou|ik\s+ben|jestem|"
    # "its" is mostly possessive ("follow its progress"): a trigger only before a capital
    # or where it opens a message or sentence ("hi its zhanar")
    r"its(?=\s+(?-i:[A-Z]))|(?:^|(?<=[.!?,]\s)|(?<=hi\s)|(?<=hey\s)|(?<=hello\s))its|"
    r"(?:hi|hello|hey|dear|thanks|thank\s+you|thx|thnx|tnx|ty|regards|cheers|sincerely|"
    r"ok|okay|(?:billing|shipping|delivery|postal)\s+address\s*:(?=[ \t]*[^\W\d_][^\n]*\n)|"
    r"kind\s+regards|best\s+wishes|warm\s+regards)\s*,?|"
    # "best" and "yours" sign off only before a comma or a line break ("the best way" is not)
    r"(?:best|yours)(?:[ \t]*,|[ \t]*\n)\s*|"
    r"(?:spoke|speak|talked|talking|chatted)\s+(?:to|with)|"
    r"(?:for|to|from)?\s*my\s+(?:wife|husband|son|daughter|mother|father|mom|mum|dad|brother|"
    r"sister|partner|friend|colleague|boss|neighbou?r|aunt|uncle|grandma|grandpa|fiancée?|"
    r"bf|gf|boyfriend|girlfriend|hubby|wifey|roommate|flatmate|housemate|step(?:son|daughter|"
    r"mom|mum|dad|mother|father)|(?:mother|father|sister|brother|son|daughter)-in-law|"
    r"kid|child|grandson|granddaughter|niece|nephew|cousin)\s*,?|"
    r"(?:directed|written|sung|performed|produced|arranged|composed|signed|sent)\s+by|"
    r"(?<![\w'’])i,|"  # "I, Émile Gagnon, request ..."
    r"starring|featuring|(?:change|correct|update)\s+(?:it|the\s+name)\s+to|"
    r"(?:ship|send|deliver|post|mail|give|hand)\w*\s+(?:[\w']+\s+){0,3}?to|attn:?|attention:?|c/o)"
    r"|(?:[.!?,]|\s-)\s*(?=[^\W\d_][\w'’\-]*(?:\s+[^\W\d_][\w'’\-]*){0,2}\s*[.!]?\s*$)"
)


_SUPPORT_WORDS = words("common_words") | words("not_names")
_TOP_LEVEL_DOMAINS = (
    r"com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|eu|us|ca|au|info|biz|shop|store|online|"
    r"example|test|local|app|dev|me|ly|tv"
)
_NOT_NAME_WORDS = frozenset(STOP_WORDS) | _SUPPORT_WORDS


_NAME_HERE = re.compile(
    r"(?:^|[.!?,]\s*)(?P<name>[^\W\d_][\w'’\-]*(?:\s+(?!from\b)[^\W\d_][\w'’\-]*){0,2})"
    r"(?:\s+from\s+[^\W\d_][\w'’\-]*)?\s+(?:here|again(?=[ \t]*[,.!]))\b(?!\s+(?:is|are|was))"
)
"""The writer introducing themselves: 'Anja here', 'Ewa from Kraków here', 'Ololade again,'."""


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @cached_property
    def key(self) -> str:
        return fold(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def _is_name_word(token: _Token, continuing: bool = False) -> bool:
    """Could this word be part of a name? Continuing a name, a capitalised short
    function word ("Nguyễn Văn An") counts unless it is a common support word."""
    if token.key in words("ambiguous_names"):
        return token.capitalised
    if continuing and token.capitalised and token.key not in _SUPPORT_WORDS:
        return True
    return token.key not in _NOT_NAME_WORDS or token.key in words("first_names")


def _is_given_name(token: _Token) -> bool:
    """Is this word a given name from the word lists (ambiguous ones only with a capital)?"""
    if token.key in words("ambiguous_names") or token.key in words("short_names"):
        return token.capitalised
    return token.key in words("first_names") and (token.capitalised or len(token.key) >= 3)


_NEVER_NAME_TAGS = frozenset(
    {"ADV", "ADP", "AUX", "NUM", "PRON", "DET", "CCONJ", "SCONJ", "PART", "VERB"}
)
_ENGLISH_ENDINGS = ("ing", "ed", "ly", "ous", "ful", "ive", "able", "ible", "less", "ness", "ment")


def _could_start_name(token: _Token, tags: PartsOfSpeech) -> bool:
    """After a loose introduction ("this is ...", "my son ..."), is this word a name?
    Lower-case words count when the tagger or their shape does not say "ordinary word"."""
    if token.capitalised or _is_given_name(token):
        return True
    part_of_speech = tags.at(token.start)  # tags the text the first time only
    if part_of_speech == "PROPN":
        return True
    if part_of_speech in _NEVER_NAME_TAGS or token.key.endswith(_ENGLISH_ENDINGS):
        return False
    return len(token.key) > 2


def _opens_sentence(text: str, token: _Token) -> bool:
    """Is this word the first of the text, a line or a sentence?"""
    before = text[: token.start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _alone_opening_sentence(text: str, token: _Token) -> bool:
    """Does this word open a sentence without a capitalised word after it ('Will you...')?"""
    following = text[token.end : token.end + 2]
    followed_by_name = following[:1] == " " and following[1:].isupper()
    return _opens_sentence(text, token) and not followed_by_name


def _is_world_given_name(text: str, token: _Token) -> bool:
    """A given name from the long list: capitalised, and not alone opening a sentence."""
    if token.key not in words("world_given_names") or not token.text[:1].isupper():
        return False
    return not _alone_opening_sentence(text, token)


def _is_family_name(token: _Token) -> bool:
    return token.key in words("surnames") and len(token.key) > 2


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _tokens_in(tokens: list[_Token], span: tuple[int, int]) -> list[_Token]:
    """The words of ``tokens`` that start inside ``span``."""
    return [token for token in tokens if span[0] <= token.start < span[1]]


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return text[left.end : right.start] in (" ", "  ")


def _name_end(text: str, tokens: list[_Token], first: int, max_words: int = 4) -> int:
    """Index after the last word of the name starting at ``tokens[first]``."""
    end = first + 1
    while (
        end < len(tokens)
        and end - first < max_words
        and _adjacent(text, tokens[end - 1], tokens[end])
    ):
        token = tokens[end]
        if _case_breaks(tokens[first], token):
            break
        if token.key in _PARTICLES and end + 1 < len(tokens) and _is_name_word(tokens[end + 1]):
            end += 2
        elif _is_name_word(token, continuing=True) and token.key not in _PARTICLES:
            end += 1
        else:
            break
    return end


def _case_breaks(first: _Token, token: _Token) -> bool:
    """A capitalised name does not run on into a lower-case word ('Wellington took'); only
    its particles ('van', 'de') may be lower case."""
    return first.capitalised and not token.capitalised and token.key not in _PARTICLES


def _capitalised_run_end(text: str, tokens: list[_Token], first: int, max_words: int = 3) -> int:
    """Index after the capitalised name words that follow ``tokens[first]`` directly."""
    end = first + 1
    while (
        end < len(tokens)
        and end - first < max_words
        and _adjacent(text, tokens[end - 1], tokens[end])
    ):
        if not tokens[end].capitalised or tokens[end].key in _NOT_NAME_WORDS:
            break
        end += 1
    return end


def _first_token_after(text: str, tokens: list[_Token], position: int) -> int | None:
    """Index of the word right after ``position`` (only a few spaces, ':' ',' '-' or an
    opening quote between, as in 'Directed By:    Brad McDougall'), if any."""
    for index, token in enumerate(tokens):
        if token.start >= position:
            between = text[position : token.start]
            return index if len(between) <= 6 and not between.strip(" :,-\t\"'“‘«„") else None
    return None


class NameRecognizer(LocalRecognizer):
    """People's names introduced by a phrase, or starting with a known given name;
    ``english_words``: ordinary words that are a name only where a list knows them."""

    def __init__(self, english_words: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_entities=["PERSON"], name="NameRecognizer")
        self._english_words = english_words

    def load(self) -> None:
        """Nothing to load: the word lists load on first use."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names after introducing phrases, then names starting with a known given name."""
        tokens = _tokens(text)
        tags = PartsOfSpeech(nlp_artifacts)
        spans = self._after_triggers(text, tokens, _STRONG_TRIGGERS, 0.85, None)
        spans += self._after_triggers(text, tokens, _WEAK_TRIGGERS, 0.75, tags)
        spans += self._given_names(text, tokens, tags)
        spans += self._family_names(text, tokens)
        spans += self._before_here(text, tokens, tags)
        spans += self._speakers(text, tokens)
        spans += self._with_initial(text, tokens)
        spans += self._name_lines(text, tokens)
        spans += self._replies_to_name_question(text, tokens)
        spans += self._names_as_customer_turns(text, tokens)
        spans += self._before_contact_details(text, tokens)
        spans += self._listed_name_runs(text, tokens)
        spans += _cjk_names(text)
        for pattern in (*_BESIDE_ME, _BEFORE_PERSON_VERB):
            spans += self._spans_of_name_words(pattern, text, tokens, 0.7)
        return [
            make_result(self, (start, end), score, "name")
            for start, end, score in spans
            if not self._label_of_words(text[start:end])
            and not opens_foreign_sentence(text, start, end, self._english_words)
        ]

    def _label_of_words(self, span_text: str) -> bool:
        """Several English words and no name ('Gift Note'); a lone one was already vetted."""
        several = len(_tokens(span_text)) > 1
        return several and ordinary_words_only(span_text, self._english_words)

    def _after_triggers(
        self,
        text: str,
        tokens: list[_Token],
        triggers: re.Pattern[str],
        score: float,
        tags: PartsOfSpeech | None,
    ) -> list[tuple[int, int, float]]:
        """Names right after a trigger; ``tags`` (parts of speech) given: loose triggers."""
        spans = []
        for match in triggers.finditer(text):
            first = _first_token_after(text, tokens, match.end())
            if first is None or not _is_name_word(tokens[first]):
                continue
            if tags is not None and not self._could_start_loose_name(text, tokens, first, tags):
                continue
            last = _name_end(text, tokens, first) - 1
            spans.append((tokens[first].start, tokens[last].end, score))
        return spans

    def _ordinary_word(self, token: _Token) -> bool:
        """An English word no name list knows ('mate', 'Size')."""
        return _is_ordinary(token.key, self._english_words)

    def _could_start_loose_name(
        self, text: str, tokens: list[_Token], first: int, tags: PartsOfSpeech
    ) -> bool:
        """After a loose introduction: a name's shape, and no English word alone or in
        lower case ('cheers mate', 'Best Buy')."""
        token = tokens[first]
        alone = _name_end(text, tokens, first) == first + 1
        if (alone or not token.capitalised) and self._ordinary_word(token):
            return False
        unlisted_lower_case = not token.capitalised and not _is_known_name(token.key)
        if unlisted_lower_case and mostly_foreign(text, self._english_words):
            return False  # ', aber nichts da.'

        return _could_start_name(token, tags)

    def _ordinary_word_opening(self, text: str, token: _Token) -> bool:
        """A given name that is also a word, alone opening a sentence ('Will it...')."""
        ordinary = token.key in words("ambiguous_names") or self._ordinary_word(token)
        return ordinary and _alone_opening_sentence(text, token)

    def _given_names(
        self, text: str, tokens: list[_Token], tags: PartsOfSpeech
    ) -> list[tuple[int, int, float]]:
        """Known given names and the name words after them; from the long world list, only
        the capitalised words after them. A given name before an English word no name list
        knows is a label or a product ('Grace Period', 'Summer Sale', 'Rose Gold')."""
        spans = []
        for index, token in enumerate(tokens):
            if text[token.end : token.end + 2].strip().isdigit():
                continue
            if self._before_label_word(text, tokens, index, tags):
                continue
            if _is_given_name(token) and not self._ordinary_word_opening(text, token):
                last = _name_end(text, tokens, index, max_words=3) - 1
            elif _is_world_given_name(text, token):
                last = _capitalised_run_end(text, tokens, index) - 1
            else:
                continue
            trimmed = self._without_trailing_words(tokens, index, last)
            if trimmed is not None:
                spans.append((token.start, tokens[trimmed].end, 0.7 if trimmed > index else 0.55))
        return spans

    def _before_label_word(
        self, text: str, tokens: list[_Token], index: int, tags: PartsOfSpeech
    ) -> bool:
        """A given name before a capitalised English noun no name list knows, a label or a
        product ('Rose Gold', 'Grace Period'); not before 'Please' ('Hi Sarah Please ...')."""
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is None or not following.capitalised or _is_known_name(following.key):
            return False
        english = self._ordinary_word(following) or following.key in _SUPPORT_WORDS
        if not english or not _adjacent(text, tokens[index], following):
            return False
        return tags.at(following.start) in ("NOUN", "PROPN", "ADJ")

    def _without_trailing_words(self, tokens: list[_Token], first: int, last: int) -> int | None:
        """The name's last word index without the English words it ran on into ('christine
        phelps pick'); None for a given name and one capitalised English word, a label or a
        product ('Grace Period', 'Summer Sale')."""
        while last > first and self._ordinary_word(tokens[last]):
            if tokens[last].capitalised and last == first + 1:
                return None
            last -= 1
        return last

    def _family_names(self, text: str, tokens: list[_Token]) -> list[tuple[int, int, float]]:
        """A known family name with the name word before it: 'Keanu Hernandez', 'luca choi';
        in lower case only after a known name ('was bedeutet das' is German)."""
        spans = []
        for before, token in itertools.pairwise(tokens):
            cased = token.capitalised or _is_known_name(before.key)
            if cased and _is_family_name(token) and _adjacent(text, before, token):
                spans += [(before.start, token.end, 0.7)] if _is_name_word(before) else []
        return spans

    def _before_here(
        self, text: str, tokens: list[_Token], tags: PartsOfSpeech
    ) -> list[tuple[int, int, float]]:
        """Names that open a message or sentence and introduce the writer: 'Anja here, ...'."""
        spans = []
        for match in _NAME_HERE.finditer(text):
            inside = _tokens_in(tokens, match.span("name"))
            lone_word = len(inside) == 1 and self._ordinary_word(inside[0])
            if all(map(_is_name_word, inside)) and _could_start_name(inside[0], tags):
                spans += [] if lone_word else [(*match.span("name"), 0.7)]
        return spans

    def _plain_name_word(self, token: _Token) -> bool:
        """A word that may be a name even in lower case: not a function, support, field-label
        or English word unless a name list knows it ('sam', 'wanjiru', not 'phone')."""
        return token.key not in _SPEAKER_NOT_NAMES and not self._ordinary_word(token)

    def _replies_to_name_question(
        self, text: str, tokens: list[_Token]
    ) -> list[tuple[int, int, float]]:
        """A reply that is only a name, on the line after the other side asked for one
        ('Agent: Who am I speaking with?\\nMe: priscilla')."""
        return self._spans_of_name_words(_NAME_REPLY, text, tokens, 0.8)

    def _names_as_customer_turns(
        self, text: str, tokens: list[_Token]
    ) -> list[tuple[int, int, float]]:
        """A customer's turn that is only a name ('Me: sam', 'user: nkechi' opening a chat):
        a listed name, or any name-like words in the first turn."""
        spans = self._spans_of_name_words(_CUSTOMER_TURN, text, tokens, 0.7)
        return [
            span
            for span in spans
            if not text[: span[0]].strip(" \t").count("\n")
            or any(_is_known_name(t.key) for t in _tokens_in(tokens, span[:2]))
        ]

    def _before_contact_details(
        self, text: str, tokens: list[_Token]
    ) -> list[tuple[int, int, float]]:
        """Words opening a line right before a phone number or an e-mail address, as in a
        contact record ('Nomvula 072 555 6789', 'fatou diallo +221 77 ...'): a listed name
        among them, or capitalised words ('telefono' is a label)."""
        spans = self._spans_of_name_words(_BEFORE_CONTACT, text, tokens, 0.7)
        return [span for span in spans if _record_name(_tokens_in(tokens, span[:2]))]

    def _spans_of_name_words(
        self, pattern: re.Pattern[str], text: str, tokens: list[_Token], score: float
    ) -> list[tuple[int, int, float]]:
        """The ``name`` group of each match of ``pattern`` whose words may all be a name."""
        return [
            (*match.span("name"), score)
            for match in pattern.finditer(text)
            if self._may_be_name(_tokens_in(tokens, match.span("name")))
        ]

    def _may_be_name(self, tokens: list[_Token]) -> bool:
        """The first word may be a name in any case, the others too or capitalised
        ('Chukwuemeka Obi', whose 'Obi' is also an English word)."""
        if not tokens or not self._plain_name_word(tokens[0]):
            return False
        return all(_capitalised_label_free(t) or self._plain_name_word(t) for t in tokens[1:])

    def _listed_name_runs(self, text: str, tokens: list[_Token]) -> list[tuple[int, int, float]]:
        """Two or three adjacent capitalised words that the name lists know ('under Charlotte
        Evans'), wherever they stand."""
        spans, first = [], 0
        while first < len(tokens):
            end = first
            while end < len(tokens) and end - first < 3 and _is_listed_name(tokens[end]):
                if end > first and not _adjacent(text, tokens[end - 1], tokens[end]):
                    break
                end += 1
            run = tokens[first:end]
            if len(run) >= 2 and run[-1].key not in _STREET_SUFFIXES:
                spans.append((run[0].start, run[-1].end, 0.6))
            first = max(end, first + 1)
        return spans

    def _speakers(self, text: str, tokens: list[_Token]) -> list[tuple[int, int, float]]:
        """Dialogue speakers: a capitalised name opening a line before a colon ('Leah: ...');
        speakers that are English words ('Size:', 'Shun:'), or unlisted words in a message in
        another language ('Bestellstatus:'), only beside a surer one."""
        found: list[tuple[int, int, bool]] = []
        foreign = mostly_foreign(text, self._english_words)
        for match in _SPEAKER.finditer(text):
            inside = _tokens_in(tokens, match.span("name"))
            if all(t.capitalised and t.key not in _SPEAKER_NOT_NAMES for t in inside):
                unlisted = not any(_is_known_name(t.key) for t in inside)
                ordinary = all(map(self._ordinary_word, inside)) or (foreign and unlisted)
                found.append((match.start("name"), match.end("name"), ordinary))
        dialogue = any(not ordinary for _, _, ordinary in found)
        return [(start, end, 0.7) for start, end, ordinary in found if dialogue or not ordinary]

    def _name_lines(self, text: str, tokens: list[_Token]) -> list[tuple[int, int, float]]:
        """A line of two or three title-case words that are not English: a signature or the
        name atop an address block ('Juliusz Kwiatkowski\\nAclaris Therapeutics Inc.')."""
        spans = []
        for match in _NAME_LINE.finditer(text):
            inside = _tokens_in(tokens, match.span("name"))
            if all(_foreign_title_word(t, self._english_words) for t in inside):
                spans.append((match.start("name"), match.end("name"), 0.6))
        return spans

    def _with_initial(self, text: str, tokens: list[_Token]) -> list[tuple[int, int, float]]:
        """A capitalised name with a middle initial ('Krisztián B Szöllösy', 'Petr J. Kloz'),
        or an initial and a family name that is no English word ('"R. Oyelaran"', not 'J. Crew')."""
        spans = []
        for match in _WITH_INITIAL.finditer(text):
            inside = _tokens_in(tokens, match.span())
            if all(t.capitalised and t.key not in _SUPPORT_WORDS for t in inside):
                spans.append((match.start(), match.end(), 0.7))
        for match in INITIAL_AND_NAME.finditer(text):
            family = _tokens_in(tokens, match.span("family"))
            if (
                family
                and not self._ordinary_word(family[0])
                and family[0].key not in _SUPPORT_WORDS
            ):
                spans.append((match.start(), match.end(), 0.6))
        return spans


_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_SPEAKER = re.compile(
    r"(?m)^[ \t}]*(?P<name>"
    + _NAME_WORD
    + r"(?:[ \t]+"
    + _NAME_WORD
    + r"){0,2})[ \t]*:(?=[ \t]*\S)"
)
_NAME_LINE = re.compile(
    r"(?m)^[ \t}?]*(?P<name>" + _NAME_WORD + r"(?:[ \t]+" + _NAME_WORD + r"){1,2})[ \t]*$"
)
_SPEAKER_NOT_NAMES = _NOT_NAME_WORDS | words("field_labels")
_STREET_SUFFIXES = words("usps_street_suffixes")
_NAME_WORDS_ALONE = r"(?P<name>" + _NAME_WORD + r"(?:[ \t]+" + _NAME_WORD + r"){0,2})"
_HAN = r"[\u4e00-\u9fff]"
_CJK_NAME = re.compile(
    r"(?:我叫|我是|我的名字是|我的名字叫|名字是|私の名前は|제\s?이름은)\s*"
    r"(?P<name>[\u4e00-\u9fff\uac00-\ud7af]{2,3})"
    r"|(?<=[^\W\d_])[ \t]*[(（](?P<bracketed>" + _HAN + r"{2,4}|[\uac00-\ud7af]{2,4})[)）]"
    r"|(?<![\u3040-\u30ff\u4e00-\u9fff])(?P<spaced>"
    + _HAN
    + r"{1,3}[ \u3000]"
    + _HAN
    + r"[\u4e00-\u9fff\u3040-\u309f]{0,2})(?![\u3040-\u30ff\u4e00-\u9fff])"
)
"""A name in Chinese, Japanese or Korean script: introduced ('我叫王芳'), in brackets after a
name in Latin script ('Wei Zhang (张伟)'), or family and given name apart ('田中 花子'), as
those scripts otherwise run without spaces."""
"""A name in Chinese, Japanese or Korean after 'my name is' ('我叫王伟'): words are not
spaced there, so the two or three characters after it."""
_BESIDE_ME = (
    re.compile(r"(?<![\w'’])(?P<name>[^\W\d_a-z][\w'’\-]+)\s+and\s+(?:I|me|myself)\b"),
    re.compile(r"\b(?:me|I)\s+and\s+(?P<name>[^\W\d_a-z][\w'’\-]+)\b"),
)
"""A person beside the writer: 'Olumide and I share this account', 'me and Kasia'."""
_NAME_REPLY = re.compile(
    r"(?im)^[^\n]*\b(?:name|who\s+(?:am\s+i|i'?m|is\s+this|are\s+you))\b[^\n]*\?[ \t]*\n?"
    r"[ \t]*[^\W\d_][\w \t]{0,20}:[ \t]*" + _NAME_WORDS_ALONE + r"[ \t]*[.!]?[ \t]*$"
)
"""A question about the name, then a speaker's reply holding one to three words."""
_CUSTOMER_TURN = re.compile(
    r"(?im)^[ \t]*(?:user|customer|me|client|caller|guest|visitor|you)[ \t]*:[ \t]*"
    + _NAME_WORDS_ALONE
    + r"[ \t]*[.!]?[ \t]*$"
)
"""A customer's line in a transcript that holds one to three words."""
_BEFORE_PERSON_VERB = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t\"'“]*(?P<name>[^\W\d_a-z][\w'’\-]+)\s+"
    r"(?:lives|lived|shouted|said|says|told|asked|wrote|works|worked|grew\s+up|moved|"
    r"(?:is|was)\s+from)\b"
)
"""A word that opens a sentence before what people do: 'Vetle lives on ...', 'Émile shouted'."""
_BEFORE_CONTACT = re.compile(
    r"(?m)^[ \t]*" + _NAME_WORDS_ALONE + r"[ \t]*[,/|\-–]?[ \t]*"
    r"(?!\d{1,2}[./]\d{1,2}[./]\d{2,4})(?=\+?\(?\d[\d \-().]{6,}\d|[\w.+\-]+@[\w\-]+\.)"
)
"""One to three words opening a line, then a phone number or an e-mail address."""
INITIAL_AND_NAME = re.compile(
    r"(?<![\w.])[A-Z]\.[ \t]?(?P<family>[A-Z][a-z][\w'’\-]+)(?![\w'’\-]|[ \t]+[A-Z])"
)
"""An initial and a family name alone: 'R. Oyelaran' (not 'St. Louis', not 'U.S. Open')."""
_WITH_INITIAL = re.compile(
    r"(?<![\w.])" + _NAME_WORD + r"[ \t]+[A-Z]\.?[ \t]+" + _NAME_WORD + r"(?![\w'’\-])"
)


def _cjk_names(text: str) -> list[tuple[int, int, float]]:
    """Names in Chinese, Japanese or Korean script; one in brackets starts with a family name."""
    spans = []
    for match in _CJK_NAME.finditer(text):
        group = next(name for name in ("name", "bracketed", "spaced") if match[name] is not None)
        if group != "bracketed" or fold(match[group][0]) in words("cjk_family_names"):
            spans.append((*match.span(group), 0.8))
    return spans


def _capitalised_label_free(token: _Token) -> bool:
    """A capitalised word that is no function word, support word or field label."""
    return token.capitalised and token.key not in _SPEAKER_NOT_NAMES


def _record_name(tokens: list[_Token]) -> bool:
    """Words that hold a listed name, or capitalised words ('Chukwuemeka Obi', 'Thandiwe')."""
    capitalised = all(token.capitalised for token in tokens)
    return capitalised or any(_is_known_name(token.key) for token in tokens)


def _is_listed_name(token: _Token) -> bool:
    """A capitalised word that a list of given or family names knows."""
    return token.capitalised and token.key not in _NOT_NAME_WORDS and _is_known_name(token.key)


def _is_known_name(key: str) -> bool:
    """Is this (folded) word a given or family name on any of the lists?"""
    lists = ("first_names", "world_names", "surnames", "ambiguous_names", "short_names")
    return any(key in words(name) for name in lists)


class SpacyPersonRecognizer(SpacyRecognizer):
    """spaCy's PERSON entities, without its lone lower-case words ('config', 'appelez-moi').
    Lower-case names are left to `NameRecognizer`, which checks how they are introduced."""

    def __init__(self, language: str, english_words: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_language=language, supported_entities=["PERSON"])
        self._english_words = english_words

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """spaCy's PERSON findings, line by line, without digits, that are capitalised or
        longer than one word, and not a lone English word that no name list knows."""
        results = super().analyze(text, entities, nlp_artifacts) or []
        lines = [line for result in results for line in _line_by_line(text, result)]
        parts = [part for line in lines for part in _without_lower_case_words(text, line)]
        named = [r for r in parts if not _DIGIT.search(text, r.start, r.end)]
        return [r for r in named if not self._lone_word_guess(text, r.start, r.end)]

    def _lone_word_guess(self, text: str, start: int, end: int) -> bool:
        """A lone lower-case word, English words only, a lower-case phrase ending in an
        English word ('frank question'), or a given name that is also a word alone opening a
        sentence ('Bill me later')."""
        span_text = text[start:end]
        tokens = [_Token(start + t.start, start + t.end, t.text) for t in _tokens(span_text)]
        lone = len(tokens) == 1
        if lone and (span_text.islower() or _ambiguous_opening(text, tokens[0])):
            return True
        unknown = not any(_is_known_name(token.key) for token in tokens)
        if unknown and self._foreign(text):
            return True
        if opens_foreign_sentence(text, start, end, self._english_words):
            return True
        phrase = span_text.islower() and _is_ordinary(tokens[-1].key, self._english_words)
        return phrase or ordinary_words_only(span_text, self._english_words)

    def _foreign(self, text: str) -> bool:
        return mostly_foreign(text, self._english_words)


def opens_foreign_sentence(text: str, start: int, end: int, english_words: frozenset[str]) -> bool:
    """A lone word no name list knows opening a sentence that goes on in lower-case words of
    another language ('Kaikki kunnossa.', 'Tudo certo agora.'): no name, unless a name
    particle or an English word follows ('Vetle van Dijk', 'Vetle lives ...')."""
    tokens = _tokens(text[start:end])
    if len(tokens) != 1 or _is_known_name(tokens[0].key):
        return False
    if not _opens_sentence(text, _Token(start, end, text[start:end])):
        return False
    rest = _SENTENCE_REST.match(text, end)
    following = _TOKEN.findall(rest.group() if rest else "")[:3]
    return bool(following) and all(_foreign_lower_case(word, english_words) for word in following)


_SENTENCE_REST = re.compile(r"[^.!?\n]*")


def _foreign_lower_case(word: str, english_words: frozenset[str]) -> bool:
    """A lower-case word that is neither English nor a name particle ('van', 'de')."""
    key = fold(word)
    return word.islower() and key not in _PARTICLES and not _english_form(key, english_words)


_INFLECTIONS = ("s", "es", "d", "ed", "ing")


def _english_form(key: str, english_words: frozenset[str]) -> bool:
    """An English word, or one inflected ('lives', 'ordered', 'asking')."""
    stems = [key] + [key[: -len(end)] for end in _INFLECTIONS if key.endswith(end)]
    return any(_is_english(stem, english_words) for stem in stems)


def mostly_foreign(text: str, english_words: frozenset[str]) -> bool:
    """A message mostly in another language, where spaCy's English model reads words as
    names ('Dostawa do Gdańska', 'Mein Rücksendeetikett') and labels look like speakers
    ('Bestellstatus: ...'): names there come by introductions ('soy', 'ich bin') or lists."""
    keys = [token.key for token in _tokens(text)]
    english = sum(_is_english(key, english_words) for key in keys)
    return len(keys) >= 4 and english < 0.4 * len(keys)


def _line_by_line(text: str, result: RecognizerResult) -> list[RecognizerResult]:
    """The finding cut at line breaks: a name never spans lines, and a span running on into
    a company on the next line would otherwise hide the name inside it."""
    if "\n" not in text[result.start : result.end]:
        return [result]
    parts, start = [], result.start
    for line in text[result.start : result.end].split("\n"):
        if line.strip():
            parts.append(RecognizerResult("PERSON", start, start + len(line), result.score))
        start += len(line) + 1
    return parts


def _without_lower_case_words(text: str, result: RecognizerResult) -> list[RecognizerResult]:
    """The finding's capitalised runs where it holds a lower-case word that is neither a
    particle nor a listed name: spaCy reads other languages as names ('defeito em Porto' is
    'Porto' at most, 'ancora arrivato' nothing), but 'Ludwig van Beethoven' stays whole, and
    so does a span opening with a given name ('jenna williams-james')."""
    tokens = _tokens(text[result.start : result.end])
    named = all(t.capitalised or t.key in _PARTICLES or _is_known_name(t.key) for t in tokens)
    if named or _is_given_name_key(tokens[0].key):
        return [result]
    runs = _capitalised_runs(text, result.start, result.end)
    return [RecognizerResult("PERSON", start, end, result.score) for start, end in runs]


_DIGIT = re.compile(r"\d")
"""A span with a digit is not a name ('Abdullahi Musa 08123456789', 'Bestellung ORD-33419'):
dropped here, so that Presidio does not let it hide the name found inside it."""


def _ambiguous_opening(text: str, token: _Token) -> bool:
    """A given name that is also a word ('Will', 'Bill') opening a sentence, used as a verb:
    a pronoun or an article follows ('Bill me later', but 'Mark is from ...')."""
    following = _FOLLOWING_WORD.match(text, token.end)
    used_as_word = following is not None and fold(following[1]) in _FUNCTION_WORDS
    return token.key in words("ambiguous_names") and _opens_sentence(text, token) and used_as_word


_FOLLOWING_WORD = re.compile(r"\s+([\w']+)")
_FUNCTION_WORDS = frozenset(
    _split("me you it we they us them him i my your our their the a an this that these those as")
)


def ordinary_words_only(span_text: str, english_words: frozenset[str]) -> bool:
    """Is the span made of English words that no name list knows, a label or a product
    ('Size Guide', 'Paw Patrol'), not a name ('Bill Young')?"""
    tokens = _tokens(span_text)
    return bool(tokens) and all(_is_ordinary(token.key, english_words) for token in tokens)


def _is_ordinary(key: str, english_words: frozenset[str]) -> bool:
    """Is this (folded) word, or its singular, an English word that no name list knows?"""
    singular = key.removesuffix("s")
    english = key in english_words or (singular != key and singular in english_words)
    return english and not _is_known_name(key)


_WEB_ADDRESS = re.compile(
    r"(?i)^(?:\S*@\S+|\S*://\S*|www\.\S+|[\w-]+(?:\.[\w-]+)*\.(?:"
    + _TOP_LEVEL_DOMAINS
    + r")(?:[/:?#]\S*)?)$"
)


def _in_web_address(text: str, start: int, end: int) -> bool:
    """Is the span part of a URL, domain or e-mail address ('acme-outfitters.example')?"""
    left = text.rfind(" ", 0, start) + 1
    right = next((i for i in range(end, len(text)) if text[i].isspace()), len(text))
    chunk = text[left:right].strip("()[]<>\"'.,;:!?")
    return chunk != text[start:end] and bool(_WEB_ADDRESS.match(chunk))


def _is_organisation(tokens: list[_Token]) -> bool:
    """A capitalised span ending in a company word: 'Acme Outfitters', 'Nordic Supplies'."""
    return (
        len(tokens) > 1 and tokens[-1].capitalised and tokens[-1].key in words("organisation_words")
    )


def _is_brand(tokens: list[_Token]) -> bool:
    """A brand, shop or service ('Estée Lauder', 'Venmo'): the span, or its first word
    unless that is a name too ('Zara E Fokina')."""
    whole = " ".join(token.key for token in tokens)
    first = tokens[0].key
    model = len(tokens) > 1 and _is_maker(first)  # 'Ford Ranger', 'Toyota Corolla'
    return whole in _BRANDS or model or (first in _BRANDS and not _is_known_name(first))


_BRANDS = frozenset(fold(brand) for brand in phrases("brands"))
_BRAND_IN_TEXT = re.compile(
    r"(?i)(?<![\w'’])(?:"
    + "|".join(re.escape(b) for b in phrases("brands") if re.search(r"[ '’\-]", b))
    + r")(?!\w)"
)


def _inside_brand(text: str, start: int, end: int) -> bool:
    """A part of a brand of several words ('Elizabeth' in 'My Elizabeth Arden night cream'),
    or a model after a brand ('Mustang Mach' in 'Ford Mustang Mach-E')."""
    before = _BRAND_BEFORE.search(text, max(0, start - 30), start)
    words_before = before.group().split() if before is not None else []
    brands = [fold(" ".join(words_before[-n:])) for n in (1, 2) if words_before]
    if any(_is_maker(b) for b in brands):
        return True
    return any(m.start() <= start and end <= m.end() for m in _BRAND_IN_TEXT.finditer(text))


def _is_maker(key: str) -> bool:
    """A brand or a car maker that is no given name ('Ford', 'Toyota', not 'Mercedes')."""
    listed = key in _BRANDS or key in words("car_makers")
    return listed and not _is_given_name_key(key)


_BRAND_BEFORE = re.compile(r"(?<![\w'’])[A-Z][\w\-]*(?:[ \t][A-Z][\w\-]*)?[ \t]+$")


def _is_thing(text: str, start: int, end: int) -> bool:
    """A brand, product or event by the words around it: an article before a lone word
    ('the Hamilton branch'), a product noun ('Calvin Klein boxers') or '&' ('Ben & Jerry's')
    after it, or only initialisms in it ('BC', 'PS', but not 'LI WEI')."""
    after = _WORD_AFTER.match(text, end)
    product_after = after is not None and fold(after["word"] or "") in words("product_nouns")
    span_words = _TOKEN.findall(text[start:end])
    short_capitals = all(len(t) <= 3 and t.isupper() for t in span_words)
    initialisms = short_capitals and not all(_is_known_name(fold(t)) for t in span_words)
    article = len(span_words) == 1 and _article_before_thing(text, start, after)
    ampersand = after is not None and after["word"] is None
    service_after = _SERVICE_AFTER.match(text, end) is not None or _chain_name(text, end)
    label = len(span_words) == 1 and _REFERENCE_AFTER.match(text, end) is not None
    things = article or product_after or ampersand or initialisms or service_after or label
    return things or _quoted_or_counted(text, start, end) or _after_product_noun(text, start)


_PRODUCT_NOUN_BEFORE = re.compile(r"(?i)(?<![\w'’])(?P<noun>[^\W\d_]+)[ \t]+[\"'“„«]?$")


_PRODUCT_NOUN_QUOTING = re.compile(r"(?P<noun>[^\W\d_]+)[ \t]+[\"'“„«]")


def _after_product_noun(text: str, start: int) -> bool:
    """A model name after its product noun, as other languages put it: 'el vestido Carmen',
    'le pull "Juliette"', or a span that is both ('Jacke "Anton')."""
    before = _PRODUCT_NOUN_BEFORE.search(text, max(0, start - 20), start)
    quoting = _PRODUCT_NOUN_QUOTING.match(text, start)
    nouns = [fold(match["noun"]) for match in (before, quoting) if match is not None]
    return any(noun in words("product_nouns_before") for noun in nouns)


def _article_before_thing(text: str, start: int, after: re.Match[str] | None) -> bool:
    """An article before a lone word ('the Hamilton branch'), or before a title and a word in
    lower case ('a Dr appointment') or followed by a noun ('the Mr. Coffee machine', 'a Dr.
    Martens boot'); 'a Mrs. Whitfield on the phone' is a person."""
    article = _ARTICLE_BEFORE.search(text, 0, start)
    if article is None or article["title"] is None or text[start].islower():
        return article is not None
    noun = after["word"] if after is not None else None
    return noun is not None and noun not in _NOT_NAME_WORDS


def _quoted_or_counted(text: str, start: int, end: int) -> bool:
    """A span in quotes ('the "Harbor Blue" rug', a product) unless a name is announced
    before it, or a word no name list knows right after a number ('12 Mbps', a unit)."""
    before = text[max(0, start - 40) : start]
    announced = _NAME_ANNOUNCED.search(before[:-1]) or INITIAL_AND_NAME.fullmatch(text, start, end)
    quoted = before.endswith(_OPENING_QUOTES) and not announced
    span_words = _tokens(text[start:end])
    unit = len(span_words) == 1 and not _is_known_name(span_words[0].key)
    return quoted or (unit and bool(_COUNT_BEFORE.search(before)))


_OPENING_QUOTES = ('"', "'", "“", "‘", "«", "„")
_NAME_ANNOUNCED = re.compile(
    r"(?i)\b(?:name(?:d|\s+is|'s)?|call\s+me|signed|called\s+me|name\s+on\s+the\s+\w+\s+is|"
    r"(?:bell|buzzer|doorbell|intercom|klingel|letterbox|mailbox|nameplate)\s+"
    r"(?:just\s+|only\s+)?(?:says|reads|shows))\s*:?\s*$"
)
_COUNT_BEFORE = re.compile(r"(?<![\w.,\-/])\d+(?:[.,]\d+)?(?:\s*[x×])?[ \t]+$")


def _chain_name(text: str, end: int) -> bool:
    """A name, "'s" and what a restaurant or shop calls itself: a chain ('Jamie's Italian',
    'Frankie's Kitchen'), not a person's work ('Zinovy Gorshkov's Cautionary Tales')."""
    return _CHAIN_AFTER.match(text, end) is not None


_CHAIN_AFTER = re.compile(
    r"(?:'s|’s)[ \t]+(?:Italian|Kitchen|Diner|Cafe|Café|Bakery|Pizza|Pizzeria|Grill|Bar|Pub|"
    r"Deli|Burgers?|Chicken|Tavern|Bistro|Trattoria|Cantina|Steakhouse|Garden|Corner)\b"
)
_REFERENCE_AFTER = re.compile(r"[ \t]*[:#]?[ \t]*#?[A-Z]{2,5}-\d")
"""A lone word before a reference labels it, in any language: 'Commande FR-340991'."""
_SERVICE_AFTER = re.compile(
    r"[ \t]+(?:booking|reservation|flight|flights|app|lounge|membership|subscription|"
    r"tickets?|voucher|gift\s+card|loyalty)\b"
)
"""A service or place before what it sells: 'The Marina Bay Sands booking', 'Ryanair flight'."""
_ARTICLE_BEFORE = re.compile(
    r"(?i)(?<![\w'’])(?:a|an|the)\s+(?P<title>(?:mr|mrs|ms|dr|st)\.?\s+)?$"
)
_WORD_AFTER = re.compile(r"(?:'s|’s)?[ \t]+(?:&|(?P<word>[a-z]+|Day)\b)")
"""The word after a span on its line ('Nguyen Van An\\nphone: ...' is not a phone brand)."""


def _is_place(text: str, start: int, end: int) -> bool:
    """A country ('Canada'), a place by its shape ('North Chloe', 'Lauraburgh') or by the
    words around it ('I live in Plauen', 'Mallersdorf, Congo'), never a person's name."""
    span_text = text[start:end]
    if fold(span_text.strip()) in _COUNTRY_KEYS:
        return True
    if _place_shaped(span_text) or _PLACE_AFTER.match(text, end):
        return True
    if _PLACE_BEFORE.search(text[:start]) or _COUNTRY_AFTER.match(text, end):
        return True
    if _TRAVEL_BEFORE.search(text, max(0, start - 40), start):
        return True
    if _FROM_PLACE_TO.search(text, max(0, start - 60), start) and _unknown_or_city(span_text):
        return True
    return _unknown_or_city(span_text) and bool(_DESTINATION_BEFORE.search(text, 0, start))


def _place_shaped(span_text: str) -> bool:
    """'North Chloe', 'Porto Alegre', 'Victoria Station', 'London Gatwick', 'Hyde Park';
    but 'Ethan Park' and 'Hyun-woo Park' are people (a given name before 'Park')."""
    if _PLACE_SHAPE.search(span_text) or _names_airport(span_text):
        return True
    if not span_text.endswith(" Park") or _HYPHENATED_GIVEN_NAME.match(span_text):
        return False
    return not _is_given_name_key(_tokens(span_text)[0].key)


def _names_airport(span_text: str) -> bool:
    """A span naming an airport: 'London Gatwick', 'Paris Orly', 'Washington Dulles'."""
    return any(token.key in words("airports") for token in _tokens(span_text))


def _is_given_name_key(key: str) -> bool:
    """Is this (folded) word on a list of given names?"""
    lists = ("first_names", "world_given_names", "short_names", "ambiguous_names")
    return any(key in words(name) for name in lists)


def _unknown_or_city(span_text: str) -> bool:
    """One word that no name list knows ('Munich', but not 'Santiago'), or a city whose
    name is a name too ('Austin', 'Santiago')."""
    tokens = _tokens(span_text)
    unknown = len(tokens) == 1 and not _is_known_name(tokens[0].key)
    return unknown or fold(span_text.strip()) in _CITY_KEYS


_CITY_KEYS = frozenset(fold(place) for place in phrases("cities") + phrases("regions"))
"""Cities, states and provinces whose names are names too ('Austin', 'delivery to Washington')."""


_PLACE_SHAPE = re.compile(
    r"^(?:North|South|East|West|New|Port|Saint|San|Santa|Lake|Mount|Fort|Upper|Lower|St\.?|"
    r"Porto|Puerto|Rio|Los|Las|São|Sao|Ciudad|Kuala|Buenos)\s"
    r"|\s(?:City|Town|Square|Beach|Heights|Springs|Valley|Island|Islands|Station|Airport|"
    r"Terminal|Harbou?r|Bay|Mall|Centre|Center|Market|Stadium|Arena|Cathedral|Castle|Hub|"
    r"Depot|Warehouse)$"
    r"|^[^\W\d_]+(?:ville|burgh|borough|town|port|fort|burg|dorf|stadt|chester|mouth)$"
)
"""A place's shape: 'North Chloe', 'Ho Chi Minh City', 'Victoria Station', 'Lauraburgh' (a
lone word: 'Rebecca Sundberg' and 'Mr. Broberg' are people)."""
_PLACE_AFTER = re.compile(
    r"[ \t]+(?:state|county|province|region|airport|station|suburb|district|area)\b"
)
"""A word after a place: 'shipping to Washington state', 'the Virginia area'."""
_HYPHENATED_GIVEN_NAME = re.compile(r"[^\W\d_][^\W\d_A-Z]+-[^\W\d_A-Z]+\s")
"""'Hyun-woo Park', 'Ji-hoon Park': a Korean given name before a family name that is also
a place word."""
_PLACE_BEFORE = re.compile(
    r"(?i)\b(?:(?:live[sd]?|living|based|located|available|arrived|stationed|staying)"
    r"\s+(?:in|at|near)|(?:i'?m|i\s+am|we\s+are)\s+in|(?:moved|here)\s+from"
    r"|(?-i:North|South|East|West|New|Port|Saint|St\.|San|Santa|Lake|Mount|Fort))\s+$"
)
_TRAVEL_BEFORE = re.compile(
    r"(?i)\b(?:train|flight|bus|coach|ferry|tram|connection|transfer|departure|arrival)s?"
    r"(?:\s+[\w-]+){0,2}?\s+(?:from|to|via|at)\s+$"
)
"""A station or airport: 'the train from Edinburgh Waverley', 'my flight to Kraków'."""
_FROM_PLACE_TO = re.compile(
    r"(?i)\b(?:(?:moved|moving|relocat\w+|travel\w*|driv\w+|fl[yi]\w*)\s+)?from\s+"
    r"(?-i:[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2})\s+to\s+$"
    r"|\b(?:order(?:ed|s)?|bought|purchased|got\s+(?:it|them))\s+from\s+$"
)
"""'moved from Canary Wharf to Shoreditch', 'ordered from Dishoom': a place or a shop when
the word is no listed name (a gift 'from Anna to Ben' stays a person)."""
_COUNTRY_AFTER = re.compile(
    r",\s*(?:" + "|".join(map(re.escape, phrases("countries") + phrases("regions"))) + r")\b"
)
_DESTINATION_BEFORE = re.compile(
    r"(?i)\b(?:(?:ship|send|deliver|post|mail|fly|travel|mov)\w*(?:\s+(?:it|them|this|orders?))?"
    r"|delivery|deliveries|shipping|postage|orders?|stores?|shops?|branch|warehouse|depot"
    r"|cover|covers|serve|serves|reach|(?:only|also|even|just)(?=\s+to\b)"
    r"|(?:i'?m|i\s+am|we'?re|we\s+are|based|located|stock)?\s*(?:in|near|around|outside|"
    r"em|en|na|nach|naar|au|aux|à|w|ve|v))\s+(?:to\s+)?$"
)
"""Words before a destination or a location: 'ship to ...', 'delivery to ...', 'in ...'."""


_COUNTRY_KEYS = frozenset(fold(country) for country in phrases("countries"))


def _never_a_name(token: _Token) -> bool:
    """A word never a name in support text, but for a capitalised given name that is also a
    word of another language ('Mia:' a speaker, not Italian 'la mia password')."""
    given = token.capitalised and token.key in words("first_names")
    return token.key in words("not_names") and not given


def refine_person_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span trimmed of greetings, quotes and a trailing "'s", or None when it is not a
    name."""
    end = start + len(text[start:end].rstrip("'’\""))
    span_text = text[start:end]
    if re.search(r"[\d@#/<>{}_=]", span_text) or _in_web_address(text, start, end):
        return None
    tokens = [t for t in _tokens(span_text) if not _never_a_name(t)]
    if not tokens or not any(_is_name_word(t) for t in tokens) or _is_organisation(tokens):
        return None
    if _is_place(text, start, end) or _is_thing(text, start, end) or _is_brand(tokens):
        return None
    if _inside_brand(text, start, end):
        return None
    new_start, new_end = start + tokens[0].start, start + tokens[-1].end
    if text[new_end - 2 : new_end] in ("'s", "’s"):
        new_end -= 2
    return new_start, new_end


_OTHER_SPACY_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
"""Cities are often given names ('Madison', 'Sydney'): a place is a name only as two words."""


class MislabelledNameRecognizer(LocalRecognizer):
    """Names spaCy's small model calls an organisation or a place ('Why is Katja so...',
    'Johnsen, Brown and Brown'): the capitalised runs inside such an entity that hold a
    given or family name from the lists. Presidio's defaults redact every such entity."""

    def __init__(self, english_words: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_entities=["PERSON"], name="MislabelledNameRecognizer")
        self._english_words = english_words

    def load(self) -> None:
        """Nothing to load: spaCy's entities come with the text."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """A result for each named run inside spaCy's other entities."""
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None:
            return []
        spans = [
            run
            for entity in doc.ents
            if entity.label_ in _OTHER_SPACY_LABELS
            for run in _capitalised_runs(text, entity.start_char, entity.end_char)
            if self._holds_a_name(text[run[0] : run[1]], entity.label_ in _PLACE_LABELS)
        ]
        return [make_result(self, span, 0.6, "name labelled otherwise") for span in spans]

    def _holds_a_name(self, run_text: str, place: bool) -> bool:
        """A listed name that is not also an English or function word ('My Orders' is a menu),
        or (outside places) two or more
        title-case words none of which is English ('Zinovy Gorshkov'); no country."""
        tokens = _tokens(run_text)
        keys = [token.key for token in tokens]
        if (place and len(keys) < 2) or any(key in _COUNTRY_KEYS for key in keys):
            return False
        if any(_is_known_name(k) and not _is_english(k, self._english_words) for k in keys):
            return True
        foreign = all(_foreign_title_word(token, self._english_words) for token in tokens)
        return not place and len(tokens) > 1 and foreign


def _is_english(key: str, english_words: frozenset[str]) -> bool:
    """A (folded) content word of the lemma index, or a function word ('my', 'the')."""
    return key in english_words or key in _NOT_NAME_WORDS


def _foreign_title_word(token: _Token, english_words: frozenset[str]) -> bool:
    """A title-case word that is not English, in any number ('Gorshkov', not 'Drugs', 'My'
    or a quoted "Orders'")."""
    key = token.key.strip("'’")
    english = _is_ordinary(key, english_words) or _is_english(key, english_words)
    return token.text.istitle() and not english and key not in _BRANDS


def _capitalised_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of adjacent capitalised words between ``start`` and ``end``."""
    runs: list[tuple[int, int]] = []
    previous: _Token | None = None
    for token in _tokens(text[start:end]):
        token = _Token(start + token.start, start + token.end, token.text.removesuffix("'s"))
        if not token.capitalised:
            previous = None
            continue
        if previous is not None and _adjacent(text, previous, token):
            runs[-1] = (runs[-1][0], token.start + len(token.text))
        else:
            runs.append((token.start, token.start + len(token.text)))
        previous = token
    return runs


_JOINED_BEFORE = re.compile(
    r"(?<![\w'’\-])(?P<name>[A-Z][\w'’\-]+)[ \t]*(?:,|&|\band\b|\bor\b)[ \t]*$"
)
_JOINED_AFTER = re.compile(
    r"[ \t]*(?:,|&|\band\b|\bor\b)[ \t]*(?P<name>[A-Z][\w'’\-]+)(?![\w\-]|[ \t]+[A-Z])"
)
_ME_IN_BRACKETS = re.compile(r"\b(?:me|myself|I)[ \t]*\([ \t]*(?P<name>[A-Z][\w'’\-]+)[ \t]*\)")


def coordinated_names(text: str, persons: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Given names joined by 'and', '&', 'or' or a comma to a person found ('Joy and Rose',
    'Priya, Anand'), and a given name in brackets after 'me' ('and me (Sunil)')."""
    bracketed = [m.span("name") for m in _ME_IN_BRACKETS.finditer(text)]
    joined = []
    for start, end in persons:
        before = _JOINED_BEFORE.search(text, max(0, start - 40), start)
        after = _JOINED_AFTER.match(text, end)
        joined += [m.span("name") for m in (before, after) if m is not None]
    given = [span for span in joined if _is_given_name_key(fold(text[span[0] : span[1]]))]
    named = [span for span in bracketed + given if refine_person_span(text, *span) is not None]
    return [span for span in named if span not in persons]
