"""Small talk: only a message that is nothing but a greeting, thanks or a goodbye gets the
company's short reply; anything with a request in it goes on as a request."""

from __future__ import annotations

import pytest

from graphs.small_talk import small_talk_reply

GREETINGS = [
    "hello",
    "Hi!",
    "hey there",
    "Good morning :)",
    "hiya team",
    "Hola",
    "hi, is anyone there?",
]
THANKS = ["thanks", "Thank you so much!", "ok thanks", "great, thank you for your help", "cheers"]
GOODBYES = ["bye", "that's all, thanks", "Thanks, bye!", "ok that's it", "have a nice day"]
REQUESTS = [
    "hi, where is my order?",
    "hello I want to return a dress",
    "thanks but the parcel never came",
    "thank you for nothing, I want a refund",
    "hey can you help me with my account",
    "bye bye money, you charged me twice",
    "good morning, my card was declined",
    "Hi Sarah here, my order 48213 is late",
]


@pytest.mark.parametrize("text", GREETINGS)
def test_a_greeting_alone_is_greeted_back(text: str) -> None:
    assert small_talk_reply(text, "Acme") == (
        "Hello! I'm the Acme support assistant. How can I help you today?"
    )


@pytest.mark.parametrize("text", THANKS)
def test_thanks_alone_is_answered_with_youre_welcome(text: str) -> None:
    assert small_talk_reply(text, "Acme").startswith("You're welcome!")


@pytest.mark.parametrize("text", GOODBYES)
def test_a_goodbye_is_answered_with_a_goodbye(text: str) -> None:
    assert small_talk_reply(text, "Acme") == "Thank you for contacting Acme. Have a great day!"


@pytest.mark.parametrize("text", REQUESTS)
def test_small_talk_around_a_request_is_not_small_talk(text: str) -> None:
    assert small_talk_reply(text, "Acme") == ""
