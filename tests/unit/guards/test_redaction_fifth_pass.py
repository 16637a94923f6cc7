"""Issue 14, fifth pass: the families blind set v4 showed. Addresses written as Europeans,
Latin Americans and East Asians write them (floor and door after the house number, a
postcode before the town, no spaces at all), rural routes, and a finding typed by the finding
that holds it."""

from __future__ import annotations

import pytest

from guards.redaction import Redactor


def redacted(redactor: Redactor, text: str) -> str:
    return redactor.redact(text).text


def types_found(redactor: Redactor, text: str) -> list[str]:
    return [entity.type for entity in redactor.redact(text).entities]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "send it to Calle Serrano 41, 5º izq., 28001 Madrid",
            "Calle Serrano 41, 5º izq., 28001 Madrid",
        ),
        (
            "my home: Rua do Carmo 9, 1º Esq., 1200-093 Lisboa",
            "Rua do Carmo 9, 1º Esq., 1200-093 Lisboa",
        ),
        (
            "new place is Istedgade 17, 4. th., 1650 København V",
            "Istedgade 17, 4. th., 1650 København V",
        ),
        (
            "post it to Herengracht 180-III, 1016 BR Amsterdam",
            "Herengracht 180-III, 1016 BR Amsterdam",
        ),
        ("Adresse: Favoritenstraße 12/4/7, 1040 Wien", "Favoritenstraße 12/4/7, 1040 Wien"),
        ("please use Via Nazionale 30, int. 9, 00184 Roma", "Via Nazionale 30, int. 9, 00184 Roma"),
        ("deliver to Rue Haute 40, bte 2, 1000 Bruxelles", "Rue Haute 40, bte 2, 1000 Bruxelles"),
        (
            "wysyłka: ul. Marszałkowska 80 m. 14, 00-517 Warszawa",
            "ul. Marszałkowska 80 m. 14, 00-517 Warszawa",
        ),
        (
            "Avenida Juárez 64, Piso 3, Col. Centro, 06010 Ciudad de México",
            "Avenida Juárez 64, Piso 3, Col. Centro, 06010 Ciudad de México",
        ),
        ("office: Skeppsbron 3, 111 30 Stockholm", "Skeppsbron 3, 111 30 Stockholm"),
        ("Corso Vittorio 8, scala C, 10121 Torino", "Corso Vittorio 8, scala C, 10121 Torino"),
        ("Sendið á Hverfisgata 12, 101 Reykjavík", "Hverfisgata 12, 101 Reykjavík"),
        ("bydlím na adrese Korunní 20, 120 00 Praha 2", "Korunní 20, 120 00 Praha 2"),
        ("I live at Odos Stadiou 10, 105 64 Athina", "Odos Stadiou 10, 105 64 Athina"),
        ("Ship to RR 1, Box 40, Elkton, SD 57026 please", "RR 1, Box 40, Elkton, SD 57026"),
        ("my unit: PSC 3050, Box 12, APO AE 09021", "PSC 3050, Box 12, APO AE 09021"),
        (
            "住所は〒060-0042 北海道札幌市中央区大通西4-1 さっぽろビル8階です",
            "〒060-0042 北海道札幌市中央区大通西4-1 さっぽろビル8階",
        ),
        (
            "배송지: 대구광역시 수성구 달구벌대로 2450, 801호",
            "대구광역시 수성구 달구벌대로 2450, 801호",
        ),
    ],
)
def test_addresses_written_abroad_are_redacted_to_the_town(
    redactor: Redactor, text: str, address: str
) -> None:
    assert redacted(redactor, text) == text.replace(address, "<STREET_ADDRESS_1>")


def test_an_address_holding_a_street_named_like_a_person_is_typed_an_address(
    redactor: Redactor,
) -> None:
    assert types_found(redactor, "Ship to Calle Goya 5, 3º A, 28001 Madrid") == ["STREET_ADDRESS"]


@pytest.mark.parametrize(
    "text",
    [
        "Is the shop on Istedgade open late on Thursdays?",
        "Order 2 of 4 came, the rest is stuck in Wien.",
        "I need 3 pairs in size 42 for the Madrid store.",
        "東京都の店舗は何時まで営業していますか？",
        "Our top 10 sellers in Lisboa are sold out.",
    ],
)
def test_streets_towns_and_counts_without_an_address_are_left_alone(
    redactor: Redactor, text: str
) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("can you pay it back to my account number at Lloyds: 73019284", "73019284"),
        ("you asked for the account number, well it's 90817263", "90817263"),
        ("the account no. printed on my card statement reads 5521 9038 17", "5521 9038 17"),
        ("Numéro de compte client : LU-P-300917, merci", "LU-P-300917"),
        ("overfør pengene til konto 3301998812", "3301998812"),
        ("devolvedlo a mi cuenta 0049-1500-05-1234567892", "0049-1500-05-1234567892"),
    ],
)
def test_account_numbers_named_before_other_words_are_redacted(
    redactor: Redactor, text: str, number: str
) -> None:
    assert number not in redacted(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "my account number for order 55667788 is wrong on the invoice",
        "The account number box only takes 10 digits.",
        "Mein Konto ist seit 2019 gesperrt.",
    ],
)
def test_numbers_near_the_word_account_that_are_not_one_are_left(
    redactor: Redactor, text: str
) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("the code you emailed me, 604 118, says it's expired", "604 118"),
        ("I typed the code from the text (280413) twice", "280413"),
        ("my security code was 77 but no, it's 730 552", "730 552"),
        ("they changed the password from Otter#2291 without asking me", "Otter#2291"),
        ("ines.duarte@sapo.pt / Alfama_1755", "Alfama_1755"),
        ("Backup words they showed me: cedar-violet-moth-8", "cedar-violet-moth-8"),
        ("Bot: What is your memorable word?\nDerya: Kapadokya77", "Kapadokya77"),
        ("security question (first street I lived on): Elm Row", "Elm Row"),
        ("Security question: first pet's name? Answer: Mr. Whiskers", "Mr. Whiskers"),
    ],
)
def test_codes_passwords_and_answers_given_in_passing_are_redacted(
    redactor: Redactor, text: str, secret: str
) -> None:
    assert secret not in redacted(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "The code you texted me never came through.",
        "I changed my password from the app yesterday.",
        "Agent: What's your memorable word?\nCustomer: sorry, I can't remember it",
        "The security question screen just spins.",
    ],
)
def test_talk_about_codes_and_answers_without_one_is_left_alone(
    redactor: Redactor, text: str
) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("a Ms. Abernathy from your team said she would ring me", "Abernathy"),
        ("there was a Dr. Nwachukwu on the line as well", "Nwachukwu"),
        ("The intercom just says 'Kowalczyk', ring that one", "Kowalczyk"),
        ('the name on the letterbox is "Haugen"', "Haugen"),
        ("our mailbox says 'Okafor-Reyes', leave it there", "Okafor-Reyes"),
        ("Hello, Mei Lin Chen (陈美琳) here, the parcel is late", "陈美琳"),
        ("届いていません。山本 太郎", "山本 太郎"),
    ],
)
def test_names_after_a_title_in_quotes_or_in_east_asian_script_are_redacted(
    redactor: Redactor, text: str, name: str
) -> None:
    assert name not in redacted(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "Is this a Dr. Martens shoe or a copy?",
        "Can I book a Dr appointment online?",
        "The door says PUSH, not pull, and it still jams.",
        "Do you ship to Beijing (北京) as well?",
        "大阪 の倉庫から発送されますか？",
        'The "Sunset Orange" paint arrived dented.',
    ],
)
def test_brands_after_a_title_places_in_brackets_and_quoted_products_are_left(
    redactor: Redactor, text: str
) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Il pacco è arrivato rotto. Grazie.",
        "Ya llegó el pedido, muchas gracias.",
        "Zásilka dorazila. Děkuji!",
        "Betreff: Umtausch\nAnliegen: falsche Farbe",
        "Motivo: talla incorrecta",
        "Exp: 04/28 on the new card, does that work?",
        "Appelez-moi demain, c'est important.",
        "Mitt kontonummer står på fakturan.",
    ],
)
def test_thanks_and_form_labels_in_other_languages_are_no_names(
    redactor: Redactor, text: str
) -> None:
    assert redacted(redactor, text) == text


def test_a_name_signed_after_thanks_in_another_language_is_still_redacted(
    redactor: Redactor,
) -> None:
    assert "Giulia" not in redacted(redactor, "Il pacco non è arrivato. Grazie, Giulia")


@pytest.mark.parametrize(
    "text",
    [
        "Paketti tuli. Kiitos! Kaikki hyvin.",
        "Obrigada. Tudo resolvido.",
        "Merci beaucoup. Bonne soirée.",
        "Vielen Dank. Liebe Grüße",
    ],
)
def test_a_short_closing_sentence_in_another_language_is_no_signature(
    redactor: Redactor, text: str
) -> None:
    assert redacted(redactor, text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thanks. Oyelaran", "Oyelaran"),
        ("Quzmani ordered the blue one, not me.", "Quzmani"),
        ("Grazie. Giulia", "Giulia"),
    ],
)
def test_a_name_opening_an_english_sentence_or_signing_off_is_still_redacted(
    redactor: Redactor, text: str, name: str
) -> None:
    assert name not in redacted(redactor, text)
