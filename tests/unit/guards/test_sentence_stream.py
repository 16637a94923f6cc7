"""Sentence splitting for streamed replies: nothing lost, no split inside "e.g." or "3.5"."""

from __future__ import annotations

from guards.output_check import SentenceStream, split_sentences

REPLY = (
    "Hello Mr. Smith. Your order No. 5 costs 3.50 EUR, e.g. with tax. Visit "
    "www.acme.example or write to help@acme.example. Steps:\n1. Log in.\n2. Open orders. Done"
)


def test_split_keeps_every_character() -> None:
    assert "".join(split_sentences(REPLY)) == REPLY


def test_abbreviations_decimals_urls_and_list_numbers_do_not_split() -> None:
    sentences = split_sentences(REPLY)
    assert sentences[0] == "Hello Mr. Smith. "
    assert sentences[1] == "Your order No. 5 costs 3.50 EUR, e.g. with tax. "
    assert sentences[2] == "Visit www.acme.example or write to help@acme.example. "
    assert "1. Log in.\n" in sentences


def test_stream_releases_only_complete_sentences() -> None:
    stream = SentenceStream()
    assert stream.feed("Thanks for waiting") == []
    assert stream.feed(". Your parcel") == ["Thanks for waiting. "]
    assert stream.flush() == "Your parcel"


def test_stream_fed_character_by_character_matches_split() -> None:
    stream = SentenceStream()
    pieces = [sentence for char in REPLY for sentence in stream.feed(char)]
    pieces.append(stream.flush())
    assert "".join(pieces) == REPLY
    assert pieces[:3] == split_sentences(REPLY)[:3]
