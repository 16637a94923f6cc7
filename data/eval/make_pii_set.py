"""Build the labelled PII evaluation sets from templates, fake values and hand-written messages.

    python data/eval/make_pii_set.py        # writes pii_dev.jsonl and pii.jsonl next to this file

Templates and values are split in two disjoint halves: tune on ``pii_dev.jsonl``, report on
``pii.jsonl`` (the other half plus the hand-written messages in ``pii_handwritten.txt``).
Slots look like ``{PERSON}``; ``{REF_ORDER}`` and friends are protected references.
Hand-written messages mark values inline: ``[PERSON|john smith]``, ``[REF|ORD-88231]``.
Everything is seeded: the same script always writes the same files.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent


def _split(words: str) -> list[str]:
    """The whitespace-separated words of a literal word list."""
    return words.split()


FIRST_NAMES = _split(
    "John Mary Olivia Liam Sophie Lucas Emma Noah Chloe Jack Aisha Fatima Omar Yusuf Layla "
    "Hamza Mariam Khalid Priya Arjun Ananya Vikram Sanjana Rohit Meera Karthik Wei Li Xiu Jun "
    "Mei Hao Yan Chen Yuki Haruto Sakura Takumi Hina Ren Min-jun Ji-woo Seo-yeon Hyun Thi Minh "
    "Quang Linh Bao Chinedu Ngozi Oluwaseun Adaeze Kwame Ama Kofi Abena Thabo Zanele Sipho "
    "Lerato Amara Tendai Mateo Sofía Santiago Valentina Diego Camila Alejandro Lucía Joaquín "
    "Isabela João Ana Thiago Beatriz Pierre Camille Élodie Mathieu Chloé Lukas Jürgen Anja Mia "
    "Felix Leonie Björn Astrid Sven Ingrid Nils Łukasz Agnieszka Piotr Zofia Dmitri Olga "
    "Anastasia Sergei Natalia Ivan Mehmet Ayşe Emre Elif Can Zeynep Giulia Marco Francesca Luca "
    "Chiara Niamh Siobhan Connor Aoife Tariq Noor Reza Shirin Dariush Aroha Manaia Keanu "
    "Leilani Ahmad Siti Nurul Arif Dewi"
)

LAST_NAMES = _split(
    "Smith Johnson Williams Brown Garcia Martinez Rodriguez Lopez Hernandez Gonzalez Patel "
    "Sharma Iyer Reddy Gupta Nair Banerjee Chen Wang Zhang Liu Huang Zhao Tanaka Sato Suzuki "
    "Watanabe Nakamura Kim Park Choi Nguyen Tran Pham Le Okafor Adeyemi Okonkwo Mensah Boateng "
    "Dlamini Nkosi Mokoena Mwangi Kamau Silva Santos Oliveira Pereira Costa Dubois Lefèvre "
    "Moreau Laurent Müller Schmidt Schneider Fischer Weber Becker Andersson Johansson Lindqvist "
    "Kowalski Nowak Wiśniewski Ivanov Petrova Smirnov Yılmaz Kaya Demir Rossi Russo Ferrari "
    "Esposito O'Brien Murphy Kelly Byrne Al-Farsi Haddad Khalil Hosseini Rahimi Tehrani Ngata "
    "Kahale Rahman Hassan Santoso Wijaya Fernández Romero Álvarez Torres Ruiz MacDonald "
    "Fitzgerald"
)

DOMAINS = _split(
    "gmail.com yahoo.com outlook.com hotmail.co.uk web.de orange.fr icloud.com proton.me "
    "mail.com example.org"
)

US_STREETS = [
    ("Main", "Street"),
    ("Oak", "Avenue"),
    ("Maple", "Drive"),
    ("Pennsylvania", "Ave NW"),
    ("Elm", "St"),
    ("Sunset", "Boulevard"),
    ("Cedar", "Lane"),
    ("Park", "Road"),
    ("Lakeview", "Court"),
    ("Washington", "Blvd"),
    ("Pine", "Rd"),
    ("Hillcrest", "Way"),
]
US_CITIES = [
    ("Springfield", "IL", "62704"),
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Washington", "DC", "20500"),
    ("Seattle", "WA", "98101"),
    ("Boston", "MA", "02108"),
    ("Portland", "OR", "97205"),
    ("Miami", "FL", "33101"),
]
UK_STREETS = [
    "Baker Street",
    "High Street",
    "Church Road",
    "Victoria Road",
    "Station Lane",
    "Queen's Gardens",
    "Kings Road",
    "Mill Lane",
    "Abbey Road",
    "Green Close",
]
UK_TOWNS = [
    ("London", "NW1 6XE"),
    ("Manchester", "M1 1AE"),
    ("Leeds", "LS1 4DY"),
    ("Bristol", "BS1 5TR"),
    ("Glasgow", "G2 3BZ"),
    ("Cardiff", "CF10 1EP"),
]
DE_STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Schillerstraße",
    "Lindenallee",
    "Goethestr.",
    "Marktplatz",
    "Berliner Ring",
]
DE_CITIES = [
    ("10115", "Berlin"),
    ("80331", "München"),
    ("50667", "Köln"),
    ("20095", "Hamburg"),
    ("60311", "Frankfurt"),
    ("70173", "Stuttgart"),
]
FR_STREETS = [
    "rue de Rivoli",
    "avenue des Champs",
    "boulevard Haussmann",
    "rue Victor Hugo",
    "place de la République",
    "rue du Commerce",
    "chemin des Vignes",
]
FR_CITIES = [("75001", "Paris"), ("69002", "Lyon"), ("13001", "Marseille"), ("31000", "Toulouse")]
PASSWORDS = [
    "hunter2",
    "Summer2023!",
    "p@ssw0rd",
    "Tr0ub4dor&3",
    "letmein99",
    "Blue_Sky#7",
    "qwerty123",
    "Dragon$2024",
    "correcthorse",
    "M0nkey!!",
    "sunshine88",
    "Zx9#kq2L",
    "Passw0rd1",
    "ilovecats7",
    "Kiwi-4455",
    "n0tmyname",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def luhn_complete(digits: str) -> str:
    """``digits`` plus the check digit that makes the number pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def iban(rng: random.Random) -> str:
    """A valid IBAN (checksum right) for a few European countries, sometimes grouped by four."""
    country, length = rng.choice([("DE", 18), ("GB", 18), ("FR", 23), ("ES", 20), ("NL", 14)])
    bban = "NWBK" if country == "GB" else "ABNA" if country == "NL" else ""
    bban += "".join(rng.choice("0123456789") for _ in range(length - len(bban)))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    code = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if rng.random() < 0.5 else code


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def person(rng: random.Random, names: tuple[list[str], list[str]]) -> str:
    first, last = rng.choice(names[0]), rng.choice(names[1])
    return rng.choice([f"{first} {last}", f"{first} {last}", first, f"{first} {last}".lower()])


def email(rng: random.Random, names: tuple[list[str], list[str]]) -> str:
    first, last = (ascii_fold(rng.choice(n)).lower().replace("'", "") for n in names)
    user = rng.choice([f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first[0]}{last}"])
    return f"{user}@{rng.choice(DOMAINS)}"


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def phone(rng: random.Random) -> str:
    d = lambda n: digits(rng, n)  # noqa: E731
    return rng.choice([
        f"({rng.randint(201, 989)}) 555-{d(4)}", f"{rng.randint(201, 989)}-555-{d(4)}",
        f"+1 {rng.randint(201, 989)} 555 {d(4)}", f"{rng.randint(201, 989)}.555.{d(4)}",
        f"020 7946 {d(4)}", f"07700 9{d(5)}", f"+44 7700 9{d(5)}", f"+44 (0)20 7946 {d(4)}",
        f"030 {d(8)}", f"+49 30 {d(8)}", f"0151 {d(8)}", f"+49 151 {d(8)}",
        f"01 {d(2)} {d(2)} {d(2)} {d(2)}", f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
        f"06 {d(2)} {d(2)} {d(2)} {d(2)}", f"+91 9{d(4)} {d(5)}", f"9{d(4)} {d(5)}",
        f"+91-9{d(9)}", f"+61 4{d(2)} {d(3)} {d(3)}", f"+34 6{d(2)} {d(3)} {d(3)}",
    ])  # fmt: skip


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("55", 16), ("37", 15), ("6011", 16)])
    number = luhn_complete(prefix + digits(rng, length - len(prefix) - 1))
    if length == 15 or rng.random() < 0.3:
        return number
    sep = rng.choice([" ", "-"])
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def ssn(rng: random.Random) -> str:
    return f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"


def address(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        name, suffix = rng.choice(US_STREETS)
        city, state, zip_code = rng.choice(US_CITIES)
        tail = rng.choice([f", {city}, {state} {zip_code}", f", {city}, {state}", ""])
        return f"{rng.randint(1, 9999)} {name} {suffix}{tail}"
    if kind == 1:
        town, postcode = rng.choice(UK_TOWNS)
        number = f"{rng.randint(1, 250)}{rng.choice(['', '', 'A', 'B'])}"
        tail = rng.choice([f", {town} {postcode}", f", {town}", ""])
        return f"{number} {rng.choice(UK_STREETS)}{tail}"
    if kind == 2:
        postcode, city = rng.choice(DE_CITIES)
        return f"{rng.choice(DE_STREETS)} {rng.randint(1, 120)}, {postcode} {city}"
    postcode, city = rng.choice(FR_CITIES)
    return f"{rng.randint(1, 80)} {rng.choice(FR_STREETS)}, {postcode} {city}"


def ip(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return "2001:db8:" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(6))
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def birth_date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1940, 2005)
    name = MONTHS[month - 1]
    return rng.choice([
        f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}", f"{month}/{day}/{year}",
        f"{day} {name} {year}", f"{name} {day}, {year}", f"{day}.{month:02d}.{year}",
    ])  # fmt: skip


def account(rng: random.Random) -> str:
    return digits(rng, rng.choice([8, 9, 10, 12]))


def ref_order(rng: random.Random) -> str:
    return rng.choice([f"ORD-{digits(rng, 5)}", f"#ORD-{digits(rng, 5)}", f"{digits(rng, 7)}",
                       f"ORD{digits(rng, 6)}", f"#{digits(rng, 8)}"])  # fmt: skip


def ref_invoice(rng: random.Random) -> str:
    return rng.choice([f"INV-{rng.randint(2019, 2025)}-{digits(rng, 4)}", f"INV{digits(rng, 6)}"])


def ref_ticket(rng: random.Random) -> str:
    return rng.choice([f"TKT-{digits(rng, 5)}", f"CASE-{digits(rng, 6)}", f"{digits(rng, 6)}"])


def ref_tracking(rng: random.Random) -> str:
    alnum = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    return rng.choice(["1Z" + "".join(rng.choice(alnum) for _ in range(16)),
                       f"9400{digits(rng, 18)}", f"JD{digits(rng, 18)}"])  # fmt: skip


Generator = Callable[[random.Random], str]
SLOT_TYPES = {
    "EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE",
    "SSN": "US_SSN", "ADDRESS": "STREET_ADDRESS", "IP": "IP_ADDRESS", "DOB": "DATE_OF_BIRTH",
    "PASSWORD": "PASSWORD", "PIN": "PASSWORD", "ACCOUNT": "ACCOUNT_NUMBER", "PERSON": "PERSON",
    "PERSON2": "PERSON",
}  # fmt: skip
REF_GENERATORS: dict[str, Generator] = {
    "REF_ORDER": ref_order, "REF_INVOICE": ref_invoice, "REF_TICKET": ref_ticket,
    "REF_TRACKING": ref_tracking,
}  # fmt: skip


def value_for(slot: str, rng: random.Random, names: tuple[list[str], list[str]]) -> str:
    simple: dict[str, Generator] = {
        "PHONE": phone, "CARD": card, "IBAN": iban, "SSN": ssn, "ADDRESS": address, "IP": ip,
        "DOB": birth_date, "ACCOUNT": account, "PASSWORD": lambda r: r.choice(PASSWORDS),
        "PIN": lambda r: digits(r, r.choice([4, 4, 6])),
    }  # fmt: skip
    if slot in ("PERSON", "PERSON2"):
        return person(rng, names)
    if slot == "EMAIL":
        return email(rng, names)
    return simple[slot](rng)


def fill(template: str, rng: random.Random, names: tuple[list[str], list[str]]) -> dict:
    """One labelled record from a template; lower-cases a few whole messages."""
    lower = rng.random() < 0.12
    text, entities, protected = "", [], []
    for literal, slot in re.findall(r"([^{]*)(?:\{([A-Z_0-9]+)\})?", template):
        text += literal.lower() if lower else literal
        if not slot:
            continue
        is_ref = slot in REF_GENERATORS
        value = REF_GENERATORS[slot](rng) if is_ref else value_for(slot, rng, names)
        if lower and slot in ("PERSON", "PERSON2", "EMAIL", "ADDRESS"):
            value = value.lower()
        if is_ref:
            protected.append(value.lstrip("#"))
        else:
            entities.append(
                {"type": SLOT_TYPES[slot], "start": len(text), "end": len(text) + len(value)}
            )
        text += value
    return {"text": text, "entities": entities, "protected": protected}


INLINE = re.compile(r"\[([A-Z_]+)\|([^\]]+)\]")


def parse_handwritten(line: str) -> dict:
    """A record from a hand-written line with inline ``[TYPE|value]`` marks."""
    text, entities, protected, cursor = "", [], [], 0
    for match in INLINE.finditer(line):
        text += line[cursor : match.start()]
        kind, value = match.groups()
        if kind == "REF":
            protected.append(value.lstrip("#"))
        else:
            entities.append({"type": kind, "start": len(text), "end": len(text) + len(value)})
        text += value
        cursor = match.end()
    text += line[cursor:]
    return {"text": text, "entities": entities, "protected": protected}


def load_lines(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def halves(items: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    shuffled = items[:]
    rng.shuffle(shuffled)
    return shuffled[::2], shuffled[1::2]


def build(
    templates: list[str], names: tuple[list[str], list[str]], count: int, seed: int
) -> list[dict]:
    rng = random.Random(seed)
    return [fill(templates[i % len(templates)], rng, names) for i in range(count)]


def write(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    rng = random.Random(4)
    dev_templates, test_templates = halves(load_lines("pii_templates.txt"), rng)
    dev_first, test_first = halves(FIRST_NAMES, rng)
    dev_last, test_last = halves(LAST_NAMES, rng)
    dev = build(dev_templates, (dev_first, dev_last), 400, seed=1)
    test = build(test_templates, (test_first, test_last), 420, seed=2)
    test += [parse_handwritten(line) for line in load_lines("pii_handwritten.txt")]
    write(HERE / "pii_dev.jsonl", dev)
    write(HERE / "pii.jsonl", test)
    print(f"pii_dev.jsonl: {len(dev)} messages, pii.jsonl: {len(test)} messages")


if __name__ == "__main__":
    main()
