"""Issue 14, third pass: families of secrets, names, IBANs, addresses and account numbers
that the first blind set showed missing, their look-alikes, and references of every shape."""

from __future__ import annotations

import pytest

from guards.redaction import Redactor
from guards.redaction.credentials import password_recognizer


def redacted(redactor: Redactor, text: str) -> str:
    return redactor.redact(text).text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("my old password was Xy!9mountain before the reset", "Xy!9mountain"),
        ("now pw Lemon!42 doesnt work", "Lemon!42"),
        ("my pass is Tr0mb0ne!88 but it fails", "Tr0mb0ne!88"),
        ("the pin on my card used to be 4417", "4417"),
        ("my PIN was either 3312 or 1233, not sure", "1233"),
        ("it asks for my passcode, its 915273 and fails", "915273"),
        ("pin for the parcel locker 553901 doesn't open it", "553901"),
        ("the code they texted me is 448201 but it expired", "448201"),
        ("login: mike.t@fastmail.com / sunflower77", "sunflower77"),
        ("mi contraseña es perrito99 y no funciona", "perrito99"),
        ("mein Passwort ist Bergsee#44", "Bergsee#44"),
        ("şifrem ankara06 ama olmuyor", "ankara06"),
        ("the answer to my security question is blue peugeot", "blue peugeot"),
        ("security question answer: Hillside Primary", "Hillside Primary"),
        ("memorable word: marmalade", "marmalade"),
        ("I set my password to purple monkey dishwasher and now", "purple monkey dishwasher"),
    ],
)
def test_secrets_in_many_phrasings_are_redacted(redactor: Redactor, text: str, secret: str) -> None:
    assert secret not in redacted(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my password, can you send a reset link?",
        "my password is not working since the update",
        "the password is case sensitive right?",
        "the answer to my question is no",
        "my season pass is valid until June",
        "I reset my PIN for order 55512 yesterday",
    ],
)
def test_talk_about_secrets_is_no_secret(text: str) -> None:
    assert password_recognizer().analyze(text, ["PASSWORD"]) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Agent: Who am I speaking with today?\nMe: tomasz\nAgent: Thanks!", "tomasz"),
        ("Agent: Can I take your name please?\nCustomer: wanjiru kamau", "wanjiru kamau"),
        ("Thandiwe 082 555 4411", "Thandiwe"),
        ("user: nkechi\nbot: how can I help?", "nkechi"),
        ("我叫王伟，我的订单没到", "王伟"),
        ("Chukwuemeka Obi +234 803 555 0192 Lagos", "Chukwuemeka Obi"),
        ("Siobhan from Galway here, my parcel is late", "Siobhan"),
        ("Adebayo again, still waiting on my refund", "Adebayo"),
        ("ok Folake, I'll try the link again", "Folake"),
        ("Ji-hoon Park here, the app crashes", "Ji-hoon Park"),
        ("I, Ségolène Marchand, authorise the refund", "Ségolène Marchand"),
        ("the order is under Beatrice Holloway (my assistant)", "Beatrice Holloway"),
        ("name: Tran Van Minh\nphone: +84 912 345 678", "Tran Van Minh"),
        ("Name on card: LI WEI", "LI WEI"),
        ("Olumide and I share this account", "Olumide"),
        ("Vetle lives on 94 Watson Street.", "Vetle"),
        ("Billing address: Cleopatra Mordvinova\n  034 Schaarsteinweg 97", "Cleopatra Mordvinova"),
    ],
)
def test_names_in_lower_case_as_speakers_and_in_records_are_redacted(
    redactor: Redactor, text: str, name: str
) -> None:
    assert name not in redacted(redactor, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the transfer to pt50000201231234567890154 bounced", "pt50000201231234567890154"),
        ("new iban be59 5390 0754 7099 the old one is closed", "be59 5390 0754 7099"),
        ("pay back to NL85-ABNA-0417-1643-11 please", "NL85-ABNA-0417-1643-11"),
        ("send it to Andrássy út 60, 1062 Budapest", "Andrássy út 60"),
        ("deliver to Unit 7, Meadowbank Estate, Bristol BS3 4RT", "Bristol BS3 4RT"),
        ("2-14-5 Ginza, Chuo-ku, Tokyo 104-0061 is my office", "2-14-5 Ginza"),
        ("my customer id is CU-4418207, can you check", "CU-4418207"),
        ("client number C-220918 please", "C-220918"),
        ("PO Box 4521, Wellington 6140", "PO Box 4521"),
        ("we're at Herengracht 182, 1016 BR Amsterdam", "Herengracht 182"),
        ("the security question was my first car, answer vauxhall corsa", "vauxhall corsa"),
        ("I used Bluebird#55 as my password last time", "Bluebird#55"),
        ("password hint said dog so I tried Rex2015", "Rex2015"),
        ("please ship to Storgatan 12, 114 51 Stockholm", "114 51 Stockholm"),
        ("ship to Karl Johans gate 22, 0159 Oslo", "gate 22"),
        ("my address changed to 3/45 Ocean Parade, Coogee NSW 2034", "Ocean Parade"),
        ("my membership number is MB 4481 2290", "MB 4481 2290"),
        ("1400 Defense Pentagon, Washington, DC 20301", "Defense Pentagon"),
    ],
)
def test_ibans_addresses_and_account_numbers_in_other_shapes_are_redacted(
    redactor: Redactor, text: str, value: str
) -> None:
    assert value not in redacted(redactor, text)


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("how do I add my wife to policy POL-4471920?", "POL-4471920"),
        ("claim CLM-2024-00781 for Anna Schmidt", "CLM-2024-00781"),
        ("statement ST-1102-4471 shows a charge", "ST-1102-4471"),
        ("DHL 4417203981 has been stuck for a week", "4417203981"),
        ("booking ref PNR-QW8Z2K for Friday", "PNR-QW8Z2K"),
    ],
)
def test_references_of_every_shape_are_kept(redactor: Redactor, text: str, reference: str) -> None:
    assert reference in redacted(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "I ordered on 14 March and it still hasn't shipped",
        "it was charged on 2 Oct and again on 9 Oct",
        "Geburtsdatum bitte nicht speichern",
        "The Grand Hotel Park Lane booking was fine",
        "Do you deliver to Austin or only Dallas?",
        "Press 1 for billing, 2 for support",
        "The code SPRING20 didn't work at checkout",
        "Bank details are with Santander",
        "The Tesla Model 3 charger cable is too short",
        "Mark as delivered? It never came",
        "Agent: what happened?\nMe: refund\nAgent: ok",
    ],
)
def test_dates_and_places_are_not_personal_data(redactor: Redactor, text: str) -> None:
    assert redacted(redactor, text) == text
