"""Street addresses: the street line, then the unit, city, state, postcode and country after it.

A street line is found first ('221B Baker Street', '1600 Pennsylvania Ave NW', 'Hauptstraße 5',
'12 rue de Rivoli', '908 Bodbysund 61', 'PSC 9169, Box 8371 APO AE 80477', 'Apt. 235'), with
any of the USPS street suffixes. Each finding is then extended over the address parts that
follow it, on the same line or the next ones: 'Apt. 235', 'SKELLEFTEÅ', 'Sweden 92807'.
"""

from __future__ import annotations

import re
from dataclasses import replace

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guards.redaction.lexicon import next_word_in, phrases, words
from guards.redaction.patterns import KeyedPattern, KeyedPatternRecognizer


def words_alternation(list_name: str) -> str:
    """A regex matching any word of the lexicon list ``list_name``."""
    return _alternation(sorted(words(list_name)))


def _alternation(options: list[str] | tuple[str, ...]) -> str:
    """A regex matching any of ``options`` literally, longest first."""
    return "|".join(re.escape(option) for option in sorted(options, key=len, reverse=True))


_STREET_KINDS = _alternation(
    sorted(words("usps_street_suffixes") | words("street_suffixes_elsewhere"))
)
_COUNTRY = r"(?i:" + _alternation(phrases("countries")) + r")"
_CONTINENTAL_SUFFIXES = (
    r"(?:\s+(?=[A-Z]))?(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|"
    r"steig|vejen|vej|veien|vegen|veg|vei|gaden|gade|gatan|gata|gate|vägen|väg|katu|tie|laan|straat|"
    r"steeg|plein|kade|"
    r"utca|út|ulica|cesta|iela|gatve|gracht|singel|dijk|markt)"
)
_SEPARATE_STREET_WORDS = (
    r"(?:\s+(?:utca|út|u\.|körút|krt\.|tér|ulica|cesta|iela|gatve|gate|gata|gatan|vej|vei|"
    r"veien|sokak|sokağı|caddesi|cad\.|straat|laan|weg|allee|ulitsa|ul\.|prospekt|prosp\.|"
    r"pereulok|per\.|shosse|naberezhnaya|bulvar|ploshchad|proyezd|vulytsia|vulica|allé|plads|"
    r"torv)(?!\w))"
)
"""Street words written after the name as a word of their own: 'Andrássy út 60'."""
_CONTINENTAL_KINDS = (
    r"rue|avenue|av\.|boulevard|bd|chemin|allée|allee|place|impasse|quai|cours|route|calle|"
    r"avenida|av|via|viale|piazza|corso|rua|praça|straat|laan|gracht|ulica|ul\.|c/|c\.|"
    r"ulitsa|prospekt|pereulok|bulvar|ploshchad|naberezhnaya|shosse|vulytsia|odos|odós|leoforos|"
    r"vul\.|carrer|passeig|avinguda|plaça|travessera|rambla|ronda"
)
_WORD = r"[^\W\d_][\w'’.\-]*"
_PARTICLE = r"(?:de|la|le|del|des|du|d'|della|di|do|da|dos|van|von|der|den|am|an|im)"
_UNIT = (
    r"(?:,?\s*(?:(?:apt|apartment|suite|ste|unit|flat|floor|fl|apto|depto|dpto|piso)\b|#)"
    r"\.?\s*#?\w{1,5})?"
)
_CITY = r"[^\W\d_][\w'’\-]*(?:\s+[^\W\d_][\w'’\-]*){0,2}"
_TAIL = (
    r"(?:,?\s*" + _CITY + r",?\s+(?:[A-Za-z]{2}\.?\s+)?\d{5}(?:-\d{4})?\b"  # city, ST 12345
    r"|,?\s*(?:" + _CITY + r",?\s+)?[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b"  # UK postcode
    r"|,?\s*\d{4,5}\s+" + _CITY + r"(?=[\s,.!?;)]|$)"  # 10115 Berlin
    r"|(?-i:,\s*(?![A-Z][a-z]{1,4}\.\s)[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?"  # , Springfield, IL
    r"(?:,\s*[A-Z]{2}\b)?))?"  # (but 'Col. Juárez' is left to the parts after the street)
)
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
"""A numbered street: '350 W 57th St', '18 East 3rd Avenue'."""
_ADDRESS_NUMBER_FIRST = re.compile(
    r"(?i)(?<![\w\-.])(?P<value>(?P<street>\d{1,6}[a-z]?\s+(?:[nsew]\.?\s+)?(?:"
    + _WORD
    + r"\s+|"
    + _ORDINAL
    + r"\s+){0,3}"
    r"(?:" + _STREET_KINDS + r")\b\.?(?:\s+(?:nw|ne|sw|se|n|s|e|w)\b\.?)?)" + _UNIT + _TAIL + r")"
)
_ADDRESS_CONTINENTAL = re.compile(
    r"(?i)(?<![\w-])(?P<value>(?:"
    r"[^\W\d_][\w\-]*(?:" + _CONTINENTAL_SUFFIXES + r"|" + _SEPARATE_STREET_WORDS + r")"
    # a house number ('SPRING20' is a discount code), maybe after 'No:' ('Caddesi No: 214')
    r"(?:\s+No[:.]?)?(?:\s+|(?<=\.))\d{1,4}(?:\s?[a-z](?!:))?(?!\w)"
    r"|(?:\d{1,4}(?:\s?(?:bis|ter))?,?\s+)?(?:" + _CONTINENTAL_KINDS + r")\s+"
    r"(?:(?:de|la|del|des|du|d'|della|di|do|da|dos)\s+){0,2}"
    + _WORD
    + r"(?:\s+"
    + _WORD
    + r"){0,1}"
    r"(?:,?\s+\d{1,4}[a-z]?(?!\w))?"
    r")" + _UNIT + _TAIL + r")"
)
_NAMED_WORDS = r"(?:" + _WORD + r"|" + _PARTICLE + r")(?:[ \t]+(?:" + _WORD + r"|" + _PARTICLE
_COUNTED_THINGS = ("size", "page", "step", "chapter", "version", "pack", "qty", "x", "level")
_NOT_AFTER_COUNTED = "".join(
    rf"(?<!{word} )(?<!{word.title()} )(?<!{word.upper()} )" for word in _COUNTED_THINGS
)
"""Not after a word that counts things: 'Size 10 Nike Pegasus 40' is a shoe."""
_ADDRESS_NUMBER_NAME_NUMBER = re.compile(
    r"(?<![\w\-.,/])"
    + _NOT_AFTER_COUNTED
    + r"(?P<value>\d{1,6}[ \t]+"
    + _NAMED_WORDS
    + r")){0,3}[ \t]+\d{1,5}[a-z]?)(?![\w\-/]|[.,]\d)"
)
"""A house number, a street name and a number, as foreign addresses are often written."""
_ADDRESS_NAME_NUMBER = re.compile(
    r"(?<![\w\-.])(?P<value>" + _WORD + r"(?:[ \t]+" + _WORD + r"){0,2}[ \t]+\d{1,5}[a-z]?)"
    r"(?![\w\-/]|[.,]\d)"
)
"""'Kõrkja 83': a street only where the words around say so (context words)."""
_ADDRESS_BEFORE_STREET_WORD = re.compile(
    r"(?<![\w\-.])(?P<value>[^\W\d_a-z][\w'’.\-]*(?:[ \t]+"
    + _WORD
    + r"){0,2}[ \t]+\d{1,5}[a-z]?\.?)"
    r"(?=[ \t]+(?:St\.|[Ss]treet\b))"
)
"""'Steinfelden 23 street', 'Harjukuja 54 St.': a name and a number before a street word."""
_STREET_NAMED_ST = re.compile(
    r"(?i:\b(?:corner\s+of|and|on)\s+)(?P<value>(?-i:[^\W\d_a-z])[\w'’\-]*"
    r"(?:[ \t]+(?-i:[^\W\d_a-z])[\w'’\-]*){0,2})[ \t]+St\.(?=\s|$)"
)
"""'the corner of Jukić Park St. and ...': a capitalised street name before 'St.'."""
_MILITARY = re.compile(
    r"(?<!\w)(?P<value>(?:(?:PSC|Unit|CMR)\s+\d{3,5},?\s+Box\s+\d{1,5}"
    r"|(?:USNS|USNV|USS|USCGC)\s+" + _WORD + r")?,?\s*(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5})\b"
)
_RURAL_ROUTE = re.compile(
    r"(?<![\w-])(?P<value>(?:RR|R\.R\.|Rural\s+Route|HC|Star\s+Route)\s+\d{1,3}"
    r"(?:,?\s+(?:Site|Comp|Box)\s+\d{1,5}){1,3})\b"
)
"""'RR 2, Box 88', 'RR 4, Site 7, Box 21', 'RR 1, Site 3, Comp 12' (the town, state and ZIP
follow)."""
_LONE_UNIT = re.compile(
    r"(?<![\w-])(?P<value>(?:Apt|APT|Apartment|Suite|Ste|Flat|Unit|Plot|Block|Lot|Bldg)\.?\s*"
    r"#?\d{1,5}[A-Z]?)\b"
)
_CAPITALISED = r"(?-i:[^\W\d_a-z])[\w'’\-]*"
_ADDRESS_BEFORE_STATE_ZIP = re.compile(
    r"(?<![\w\-.,/])(?P<value>\d{1,6}[ \t]+"
    + _CAPITALISED
    + r"(?:[ \t]+"
    + _CAPITALISED
    + r"){0,3}"
    r",[ \t]*" + _CAPITALISED + r"(?:[ \t]+" + _CAPITALISED + r"){0,2},?[ \t]+(?-i:[A-Z]{2})[ \t]+"
    r"\d{5}(?:-\d{4})?)(?![\w-])"
)
"""A house number and capitalised words before ', City, ST 12345', whatever the street type
('1400 Defense Pentagon, Washington, DC 20301')."""
_POST_BOX = re.compile(
    r"(?i)(?<![\w-])(?P<value>(?:p\.?\s?o\.?\s*box|post\s+office\s+box|postfach|apartado"
    r"(?:\s+de\s+correos)?|casilla|caixa\s+postal|bo[iî]te\s+postale)\s*#?\s*\d{1,6})\b"
)
"""'PO Box 4521', 'Postfach 1120', 'Apartado 123' (the city and postcode follow)."""
_CHOME = re.compile(
    r"(?<![\w\-])(?P<value>(?:\d{1,4}(?:-\d{1,4}){1,2}|\d{1,2}[ \-]?Chome-\d{1,4}(?:-\d{1,4})?)"
    r",?[ \t]+[A-Z][a-z]+"
    r"(?:-(?:ku|shi|cho|machi|gun))?)(?![\w\-])"
)
"""Japanese block addresses: '1-2-3 Shibuya', '3 Chome-7-1 Nishishinjuku' (the ward and
city follow)."""
_CJK = r"[\u3040-\u30ff\u4e00-\u9fff]"
_HANGUL = r"[\uac00-\ud7a3]"
_JAPANESE_ADDRESS = (
    r"(?:〒\d{3}-\d{4}[ \t\u3000]*)?(?:東京都|北海道|大阪府|京都府|" + _CJK + r"{2,3}[県省])"
    rf"{_CJK}{{1,12}}?\d{{1,4}}(?:[-－]\d{{1,4}}){{0,2}}(?:号|番地?)?"
    rf"(?:[ \t\u3000]*{_CJK}{{1,10}}\d{{1,5}}(?:号室?|階|F))?"
)
"""'〒530-0001 大阪府大阪市北区梅田3-1-1 梅田ハイツ502号': prefecture, city, block, building."""
_KOREAN_ADDRESS = (
    rf"{_HANGUL}{{1,6}}(?:특별시|광역시|특별자치시|도|시)[ \t]*{_HANGUL}{{1,6}}(?:구|군|시)"
    rf"[ \t]*{_HANGUL}{{1,10}}(?:로|길)[ \t]*\d{{1,5}}(?:-\d{{1,4}})?(?:,?[ \t]*\d{{1,5}}호)?"
)
"""'서울특별시 마포구 월드컵북로 56, 302호': city, district, road and number, flat."""
_CHINESE_ADDRESS = (
    rf"{_CJK}{{1,4}}[市省]{_CJK}{{1,6}}[区县]{_CJK}{{1,10}}[路街道]\d{{1,5}}号(?:\d{{1,5}}室)?"
)
"""'上海市浦东新区世纪大道100号': city, district, road and number."""
_UK_POSTCODE = r"[a-z]{1,2}\d[a-z\d]?[ \t]*\d[a-z]{2}\b"
_UK_POSTCODE_CAPITALS = r"(?-i:[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})\b"
_INDIAN = re.compile(
    r"(?<![\w-])(?P<value>(?:(?:H|Door|Plot|Flat)\.?[ \t]*)?No\.?[ \t]*"
    r"\d{1,5}[A-Za-z]?(?:/\d{1,4})?,"
    r"[ \t]*(?:" + _ORDINAL + r"[ \t]+)?(?-i:[A-Z])[\w'’\-]*(?:[ \t]+(?-i:[A-Z])[\w'’\-]*){0,2})"
    r"(?=[^\n]{0,60}?\b\d{3}[ \t]?\d{3}\b)"
)
"""'No. 42, 3rd Cross', 'Door No. 7/2, Gandhi Road': a door number and a street, when a
six-digit PIN code follows on the line (the area and city come after)."""
_ARABIC_WORD = r"[\u0621-\u064a]+"
_ARABIC = re.compile(
    r"(?P<value>(?:شارع|طريق|حي|ش\.)[ \t]+" + _ARABIC_WORD + rf"(?:[ \t]+{_ARABIC_WORD}){{0,3}}"
    r"[ \t]+\d{1,5}(?:[،,][ \t]*" + _ARABIC_WORD + rf"(?:[ \t]+{_ARABIC_WORD}){{0,2}})?"
    r"(?:[ \t]+\d{5})?)"
)
"""'شارع الملك فهد 221، الرياض 12271': street (shari'), name, number, city, postcode."""
_NAMED_HOUSE_OR_STREET = r"(?-i:[A-Z])[\w'’\-]*(?:[ \t]+(?-i:[A-Z])[\w'’\-]*){0,3}"
_STREET_BEFORE_UK_POSTCODE = re.compile(
    r"(?<![\w\-.])(?P<value>(?:"
    + _NAMED_HOUSE_OR_STREET
    + r",[ \t]*)?"
    + _NAMED_HOUSE_OR_STREET
    + r"[ \t]+(?i:lane|road|street|close|drive|green|hill|row|way|avenue|crescent|terrace|"
    r"gardens|place|walk|mews|court))"
    r"(?=(?:,[ \t]*" + _NAMED_HOUSE_OR_STREET + r"){1,3},?[ \t]+" + _UK_POSTCODE_CAPITALS + r")"
)
"""'The Old Rectory, Church Lane, Little Bardfield, Essex CM7 4TS': a house's name and a
street with no number, when towns and a British postcode follow."""
_EAST_ASIAN = re.compile(rf"(?P<value>{_JAPANESE_ADDRESS}|{_KOREAN_ADDRESS}|{_CHINESE_ADDRESS})")
_PLAIN_WORD = r"[^\W\d_][\w'’\-]*"
_ADDRESS_AT_NUMBER = re.compile(
    r"(?i:\b(?:at|on)\s+)(?P<value>\d{1,6}(?:[ \t]+" + _PLAIN_WORD + r"){1,4})(?![\w\-])"
)
"""'lives at 720 Lagrange Ranch': a house number and a name after 'at'."""
_COUNTRY_POSTCODE = re.compile(r"(?<!\w)(?P<value>" + _COUNTRY + r"[ \t]+\d{4,6})(?![\w-])")

_SEPARATOR = r"(?:\.(?=[ \t]*[\n,]))?[ \t]*(?:(?:,|\n|\}\}|-(?=[ \t]))[ \t]*){0,4}"
"""Commas, line breaks and, as Brazilians write them, dashes: 'Av. Paulista, 1578 - Bela Vista'."""
_UNIT_WORDS = (
    r"apt|apartment|suite|ste|unit|flat|floor|box|apto|depto|dpto|piso|planta|puerta|pta|"
    r"escalera|esc|appt|whg|stiege|stg|top|tür|étage|etage|porte|andar|bloco|lgh|interno|int|"
    r"scala|bte|boîte|bus|lok|m(?=\.)|#|site|comp|station|stn|conj|cj|sala|kv|d(?=:)"
)
"""Words before a flat's, floor's or staircase's number or letter: 'Apt 4', 'int. 6' and
'Station A' (a Canadian post office), 'conj. 92' and 'sala 41' (Brazil), 'kv. 41' (Ukraine),
'D: 8' (Turkey), 'scala B' (Italy), 'bte 3' (Belgium), 'm. 5' (Poland), 'Stiege 2' and
'Top 14' (Austria), 'lgh 1102' (Sweden)."""
_FLOOR_AND_DOOR = (
    r"\d{1,2}[ \t]?[º°ª]\.?(?:[ \t]*(?:izq(?:uierda|da)?|dcha|der(?:echa)?|dto|esq|frente|"
    r"centro|[a-z])\b\.?)?"
    r"|(?:\d{1,2}\.?|st\.?)[ \t]*(?:tv|th|mf|sal)\b\.?"
    r"|\d{1,2}(?:r|n|t|è|er)[ \t]+\d{1,2}[aª]\b"
)
"""A floor and a door as Spaniards and Portuguese ('2º izq.', '3º B') or Danes ('3. tv.') write
them, or Catalans ('2n 1a')."""
_AFTER_HOUSE_NUMBER = (
    r"(?:/\d{1,4}[a-z]?){1,3}(?![\w/])|-(?:[ivx]{1,4}|hs|bis|[a-z]|\d{1,3})(?![\w-])"
)
"""Written onto the house number: the staircase and flat ('88/2/14'), the floor ('452-III',
the Dutch 'Kerkstraat 112-2')."""
_NEIGHBOURHOOD = (
    r"(?:col|colonia|fracc|bairro|barrio)\.?[ \t]+(?-i:[^\W\d_a-z][\w'’\-]*)"
    r"(?:[ \t]+(?-i:[^\W\d_a-z][\w'’\-]*)){0,2}"
)
"""A Mexican colonia or a Brazilian bairro: 'Col. Juárez'."""
_POSTCODE = (
    r"(?:[a-z]{2}\.?[ \t]+)?\d{4,6}(?:-\d{4})?(?![\w-])|〒?\d{3}-\d{4}(?![\w-])"
    r"|\d{4,5}-\d{3}(?![\w-])"  # Brazil 01310-200, Portugal 1100-053
    r"|\d{4}[ \t]?(?-i:[A-Z]{2})\b"  # Dutch: 1016 BR
    r"|\d{3}[ \t]\d{2}(?![\w-])|\d{2}-\d{3}(?![\w-])"  # Swedish 114 51, Polish 80-831
    r"|" + _UK_POSTCODE + r"|[a-z]\d[a-z][ \t]?\d[a-z]\d\b"
    r"|(?-i:[A-Z]\d{2}[ \t][A-Z\d]{4})\b"  # Irish Eircode: D07 R2T6
    r"|\d{3}(?=[ \t]+(?-i:[^\W\d_a-z]))"  # Iceland: 101 Reykjavík (a town must follow)
)
_TOWN_WORD = r"(?-i:[^\W\d_a-z][\w'’\-]*)"
_TOWN_PARTICLE = r"(?:de|di|del|la|am|an|der|sur)[ \t]+"
_TOWN = (
    rf"(?P<town>[ \t]+{_TOWN_WORD}(?:[ \t]+(?:{_TOWN_PARTICLE})?{_TOWN_WORD}){{0,2}}"
    r"(?:[ \t]+(?-i:[A-ZÆØÅ]|\d{1,2})(?![\w-]))?)?"
)
"""The town after a postcode, with its district: '1070 Wien', '2100 København Ø', 'Praha 3'."""
_NEXT_PART = re.compile(
    r"(?:" + _AFTER_HOUSE_NUMBER + r")|" + _SEPARATOR + r"(?:"
    r"(?:" + _UNIT_WORDS + r")[.:]?\s*(?:#?\d{1,5}[a-z]?|(?-i:[A-Z]))\b"
    r"|" + _FLOOR_AND_DOOR + r"|" + _NEIGHBOURHOOD + r"|(?:" + _POSTCODE + r")" + _TOWN + r""
    r"|" + _COUNTRY + r"(?:[ \t]*\((?:greek|turkish)\))?(?!\w)"
    r"|(?-i:[A-Z]{2})\b"
    r"|(?P<city>(?-i:[^\W\d_a-z][\w'’\-]*)(?:[ \t]+(?-i:[^\W\d_a-z][\w'’\-]*)){0,2})"
    r"(?:[ \t]+\d{1,2})?"
    r"(?=[ \t]*(?:[,\n]|-[ \t]|$|\d{4,6}\b|\d{3}-\d{4}\b|" + _UK_POSTCODE + r")))",
    re.IGNORECASE,
)
"""What may follow a street line: a unit, a floor, a postcode and its town, a state, a
country, a city (with its district: 'Dublin 7')."""
_MAX_PARTS = 6
_ADDRESS_BEFORE_POSTCODE = re.compile(
    r"(?<![\w\-.])(?P<value>(?:[^\W\d_]{1,4}\.[ \t]*)?"
    + _CAPITALISED
    + r"(?:[ \t]+(?:"
    + _CAPITALISED
    + r"|"
    + _PARTICLE
    + r")){0,3}[ \t]+\d{1,4}[a-z]?)"
    r"(?=(?:" + _AFTER_HOUSE_NUMBER + r")?,?[ \t]+(?:" + _POSTCODE + r")[ \t]+(?-i:[^\W\d_a-z]))",
    re.IGNORECASE,
)
"""'Lindholmspiren 7, 417 56 Göteborg', 'Vinohradská 112, 130 00 Praha': a name and a number
before a postcode and a town, whatever the street is called."""

_NOT_STREET_WORDS = words("not_street_words")


def _plausible_street(value: str) -> bool:
    """Rejects '3 days ago on the way': street names are not made of ordinary words."""
    named_after = _MONTH_BEFORE_NAME.sub("", value.split(",")[0])
    found = re.findall(r"\b[^\W\d_]+\b", named_after.casefold())
    return len(found) >= 2 and not _NOT_STREET_WORDS.intersection(found[:-1])


_MONTH_BEFORE_NAME = re.compile(r"\b(?:Jan|Feb|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?=\s+[A-Z][a-z])")
"""A month's short name before a capitalised word is a name ('17 Jan Smuts Avenue')."""


def _plausible_continental(value: str) -> bool:
    """A continental address needs a house number and a street name of no ordinary words
    (the letter of a house number, 'Schillerstraße 12a', is not the word 'a')."""
    found = re.findall(r"[^\W\d_]{2,}", value.split(",")[0].casefold())
    return any(ch.isdigit() for ch in value) and not _NOT_STREET_WORDS.intersection(found)


def _capitalised_name(value: str) -> bool:
    """The street name's words start with a capital (but for particles, street words and
    abbreviations: 'Király u. 93', 'Csabai kapu 60') and none is an ordinary word."""
    names = re.findall(r"[^\W\d_][\w'’.\-]*", value)
    named = [n for n in names if not _LOWER_CASE_STREET_WORD.match(n)]
    capitalised = bool(named) and all(n[0].isupper() for n in named)
    return capitalised and _plausible_continental(value) and not _DAY_AND_MONTH.fullmatch(value)


_DAY_AND_MONTH = re.compile(
    r"(?i)\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?(?:\s+\d{4})?"
)
"""'on 5 May', 'on 15 March 2026': a date, not a house number and a street."""


_LOWER_CASE_STREET_WORD = re.compile(
    r"(?:" + _PARTICLE + r"|[^\W\d_]{1,4}\.|" + words_alternation("street_words") + r")$"
)


def _is_city(text: str) -> bool:
    """A city after a street line: capitalised (not 'です' after a Japanese address), of no
    ordinary words."""
    capitalised = text.strip()[:1].isupper()
    return capitalised and not _NOT_STREET_WORDS.intersection(w.casefold() for w in text.split())


def _part_end(match: re.Match[str]) -> int | None:
    """Where an address part ends: none where a city holds ordinary words, and before the
    town after a postcode where the town does ('10115 on Monday')."""
    if match.group("city") is not None and not _is_city(match.group("city")):
        return None
    if match.group("town") is not None and not _is_city(match.group("town")):
        return match.start("town")
    return match.end()


def extend_address(text: str, end: int) -> int:
    """Where the address ending at ``end`` really ends, after the parts that follow it."""
    for _ in range(_MAX_PARTS):
        match = _NEXT_PART.match(text, end)
        part_end = _part_end(match) if match is not None else None
        if part_end is None or part_end == end:
            break
        end = part_end
    return end


class AddressRecognizer(KeyedPatternRecognizer):
    """Street lines, each extended over the unit, city, postcode and country after it."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        kept = [r for r in results if not next_word_in(text, r.end, "product_nouns")]
        for result in kept:
            result.start = _start_with_number_before(text, result.start)
            result.end = extend_address(text, result.end)
        return kept


_NUMBER_BEFORE = re.compile(
    r"(?<![\w\-.,/])(?:\d{1,6}(?:[ \t]+|/)"
    r"|(?:Level|Floor|Flat|Unit|Suite|Shop|Apt|Apartment)\.?[ \t]+\w{1,4},?[ \t]+)$"
)


def _start_with_number_before(text: str, start: int) -> int:
    """Where the address starting at ``start`` really starts: a number or a unit written
    before the house number belongs to it ('45254 49 boulevard Amiral Courbet', 'Level 12,
    88 Phillip Street')."""
    match = _NUMBER_BEFORE.search(text, max(0, start - 16), start)
    return match.start() if match else start


def address_recognizer() -> AddressRecognizer:
    """Street addresses: '221B Baker Street', '1600 Pennsylvania Ave NW, Washington, DC 20500',
    'Hauptstraße 5, 10115 Berlin', '12 rue de Rivoli, 75001 Paris', military and foreign ones."""
    patterns = [
        KeyedPattern("address us/uk", _ADDRESS_NUMBER_FIRST, 0.6, _plausible_street),
        KeyedPattern("address continental", _ADDRESS_CONTINENTAL, 0.55, _plausible_continental),
        KeyedPattern(
            "address number name number", _ADDRESS_NUMBER_NAME_NUMBER, 0.5, _capitalised_name
        ),
        KeyedPattern("address name number", _ADDRESS_NAME_NUMBER, 0.15, _capitalised_name),
        KeyedPattern(
            "address before street word", _ADDRESS_BEFORE_STREET_WORD, 0.6, _capitalised_name
        ),
        KeyedPattern("address named st", _STREET_NAMED_ST, 0.6),
        KeyedPattern("address military", _MILITARY, 0.8),
        KeyedPattern("address unit", _LONE_UNIT, 0.5),
        KeyedPattern("address block", _CHOME, 0.5),
        KeyedPattern("address post box", _POST_BOX, 0.6),
        KeyedPattern("address before state and zip", _ADDRESS_BEFORE_STATE_ZIP, 0.6),
        KeyedPattern("address at number", _ADDRESS_AT_NUMBER, 0.5, _capitalised_name),
        KeyedPattern("address country postcode", _COUNTRY_POSTCODE, 0.5),
        KeyedPattern("address before postcode", _ADDRESS_BEFORE_POSTCODE, 0.6, _capitalised_name),
        KeyedPattern("address rural route", _RURAL_ROUTE, 0.6),
        KeyedPattern("address east asian", _EAST_ASIAN, 0.6),
        KeyedPattern("address indian", _INDIAN, 0.6),
        KeyedPattern("address arabic", _ARABIC, 0.6),
        KeyedPattern("address house or street before uk postcode", _STREET_BEFORE_UK_POSTCODE, 0.6),
    ]
    retried = [replace(pattern, retry_inside=True) for pattern in patterns]
    context = ["address", "live", "lives", "ship", "deliver", "send", "street", "home", "move",
               "moved", "located", "billing", "shipping", "road"]  # fmt: skip
    return AddressRecognizer("STREET_ADDRESS", retried, context)
