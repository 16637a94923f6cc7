"""Issue 14, second pass: support text nobody here wrote. Brands, products, places and menu
labels stay as they are; names written the ways people write them are still redacted."""

from __future__ import annotations

import pytest

from guards.redaction import Redactor


def redacted(redactor: Redactor, text: str) -> str:
    return redactor.redact(text).text


@pytest.mark.parametrize(
    "text",
    [
        "I bought a Tommy Hilfiger jacket last week and the zip broke.",  # brand + product noun
        "Calvin Klein boxers were sent in the wrong size.",
        "The Hamilton branch was closed when I arrived.",  # article + lone word
        "The Ben & Jerry's coupon did not apply.",  # '&'
        "The Estée Lauder serum leaked in the box.",  # brands list
        "Venmo shows pending for three days.",
        "I click Continue Shopping and nothing happens.",  # English words only
        "Cookie Settings won't save.",
        "Item: Blue Hoodie\nSize: Medium\nColour: Navy Blue",  # form fields, not speakers
        "PS: the tracking link in the email is broken.",
        "Will it arrive before Christmas?",  # a name that is a word, used as one
        "Bill me later is not showing as a payment option.",
        "Do you price match Best Buy?",
        "Cheers mate, sorted now.",
        "Shipping to Wellington took a month.",  # no run-on into 'took'
        "Can you ship to Munich?",  # a lone unknown word after 'ship to'
        "Can you deliver to Eugene, Oregon by Friday?",  # ', <state>'
        "We have a shop in Victoria, BC.",
        "Do you ship to Ho Chi Minh City?",
        "I ordered 2 Garden Court chairs and got 1.",  # street-shaped product
        "My IBAN is below, is that safe?",
        "Thanks again!! You're the best.",
        "You can track your order from 'My Orders' in your account.",  # 'My' is also a name
    ],
)
def test_support_text_without_personal_data_is_unchanged(redactor: Redactor, text: str) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Mr. Broberg is a 27 year old man who grew up in Nicosia.", "Broberg"),  # not a -berg town
        ("Bot: What's the name on the account? User: Rebecca Sundberg", "Sundberg"),
        ('Shun: "Who are you?"\nPatricia: "I\'m his daughter".', "Shun"),  # a word, in dialogue
        ("Mark is from DHI Group Inc.", "Mark"),  # a name that is a word, used as a name
        ("A tribute to Zara E Fokina, sadly she wasn't impressed.", "Fokina"),  # not the brand
        ("Cerys Holt employs corporate lingo in her resignation letter", "Cerys Holt"),
        ("Pedestrians must enter on Harjukuja 54 St. the first three months", "Harjukuja 54"),
        ("Alterio lives on Steinfelden 23 street.", "Steinfelden 23"),
        ("stop at the corner of Plattebaan 178 St. and Unnsteinn Circles St.", "Unnsteinn"),
        ("45254 49 boulevard Amiral Courbet\n Apt. 286\n ORVAULT", "45254"),
        ("hi its mehmet yilmaz, order ORD-55218 is late", "mehmet yilmaz"),
        ("It was sung by Freddie Whittaker in 1993. Whittaker was 20.", "Whittaker"),  # again
        ("Juliusz Kwiatkowski\nAclaris Therapeutics Inc.\n96 771394 office", "Kwiatkowski"),
    ],
)
def test_personal_data_is_redacted(redactor: Redactor, text: str, secret: str) -> None:
    assert secret not in redacted(redactor, text)
