"""Generate the output-guard labelled set, deterministically (seeded).

    .venv/bin/python data/eval/make_output_guard.py

Writes ``data/eval/output_guard.jsonl``: ``{"user", "reply", "expect", "kind", "split"}``
plus, where it applies, ``"foreign"`` (values that must not reach the customer) and
``"must_contain"`` (values a filled slot must show). ``{canary}`` stays in the text: the
evaluation substitutes the canary of the check under test.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import output_guard_sources as sources  # noqa: E402

PEOPLE = [
    ("Maria Lopez", "maria.lopez@gmail.com"),
    ("James Carter", "jcarter88@yahoo.com"),
    ("Aisha Khan", "aisha.khan@outlook.com"),
    ("Tom Becker", "tom.becker@web.de"),
    ("Olivia Brown", "olivia.b@protonmail.com"),
    ("Lukas Novak", "lukas.novak@seznam.cz"),
]
PHONES = ["+44 20 7946 0958", "(212) 555-0187", "+49 30 901820", "415-555-0132"]
ORDERS = ["ORD-55123", "ORD-88231", "order 4471923", "ORD-20931", "#781245"]
VARIANTS = {"own_pii": 4, "slot_fill": 4, "foreign_pii": 4}
EXPECT = {
    "good": "pass",
    "own_pii": "pass",
    "slot_fill": "fix",
    "slot_unknown": "fix",
    "foreign_pii": "fix",
    "promise": "fix",
    "advice": "block",
    "abuse": "block",
    "leak": "block",
    "degenerate": "block",
}
POOLS = {
    "good": sources.GOOD,
    "own_pii": sources.OWN_PII,
    "slot_fill": sources.SLOT_FILL,
    "slot_unknown": sources.SLOT_UNKNOWN,
    "foreign_pii": sources.FOREIGN_PII,
    "promise": sources.PROMISES,
    "advice": sources.ADVICE,
    "abuse": sources.ABUSE,
    "leak": sources.LEAKS,
    "degenerate": sources.DEGENERATE,
}


def fillers(rng: random.Random) -> dict[str, str]:
    """Random people, an order reference and a phone for one item."""
    (name, email), (other_name, other_email) = rng.sample(PEOPLE, 2)
    order = rng.choice(ORDERS)
    return {
        "name": name, "email": email, "other_name": other_name, "other_email": other_email,
        "other_phone": rng.choice(PHONES), "order": order, "canary": "{canary}",
    }  # fmt: skip


def make_item(kind: str, user: str, reply: str, values: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "user": user.format(**values),
        "reply": reply.format(**values),
        "expect": EXPECT[kind],
        "kind": kind,
    }
    foreign = [values[key] for key in ("other_name", "other_email", "other_phone")]
    if kind == "foreign_pii":
        item["foreign"] = [value for value in foreign if value in item["reply"]]
    if kind == "slot_fill":
        item["must_contain"] = [values["order"].split()[-1].lstrip("#")]
    return item


def main() -> None:
    rng = random.Random(20240607)
    items = []
    for kind, pool in POOLS.items():
        for index, (user, reply) in enumerate(pool):
            for _ in range(VARIANTS.get(kind, 1)):
                item = make_item(kind, user, reply, fillers(rng))
                item["split"] = ("dev", "test")[index % 2]
                items.append(item)
    out = HERE / "output_guard.jsonl"
    out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    print(f"{len(items)} items")


if __name__ == "__main__":
    main()
