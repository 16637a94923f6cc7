"""Generate the input-guard labelled set, deterministically (seeded).

    .venv/bin/python data/eval/make_input_guard.py

Writes ``data/eval/input_guard.jsonl`` (``{"text", "label", "kind", "split"}``; split ``dev``
items were used to tune the rules and train the classifier, ``test`` items were not) and the
classifier's training file ``guards/data/input_guard_train.jsonl`` (dev items plus Bitext
customer requests that are in neither split).
"""

from __future__ import annotations

import base64
import csv
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from input_guard_sources import (  # noqa: E402
    ATTACKS,
    BENIGN,
    ENCODED_WRAPPERS,
    GOALS,
    PREFIXES,
)

REPO = HERE.parent.parent
BITEXT_CSV = Path("/work/shared/data/bitext/bitext_sample_train.csv")
BITEXT_COPY = HERE / "bitext_instructions.txt"
SPLITS = ("dev", "test")
PER_KIND = 40
BITEXT_PER_SPLIT = 120

Example = dict[str, str]

_HOMOGLYPHS = str.maketrans("aeopcxiAEOPC", "аеорсхіАЕОРС")


def homoglyphs(text: str) -> str:
    return text.translate(_HOMOGLYPHS)


def zero_width(text: str) -> str:
    return "\u200b".join(text[i : i + 3] for i in range(0, len(text), 3))


def spaced(text: str) -> str:
    words = text.split(" ")
    return (
        " ".join(" ".join(word) if len(word) > 4 else word for word in words[:4])
        + " "
        + (" ".join(words[4:]))
    )


def leet(text: str) -> str:
    return text.translate(str.maketrans("aeiost", "4310$7"))


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


OBFUSCATORS: dict[str, list[Callable[[str], str]]] = {
    "dev": [homoglyphs, zero_width, spaced],
    "test": [leet, fullwidth, homoglyphs, zero_width],
}


def attack_examples(rng: random.Random, split: str) -> Iterator[Example]:
    """Templated attacks of every kind, plus encoded and obfuscated variants."""
    cores: list[str] = []
    for kind, pools in ATTACKS.items():
        for text in _fill(rng, pools[split], split, PER_KIND):
            cores.append(text)
            yield {"text": text, "label": "attack", "kind": kind, "split": split}
    for text in rng.sample(cores, PER_KIND):
        payload = base64.b64encode(text.encode()).decode()
        wrapper = rng.choice(ENCODED_WRAPPERS[split])
        yield {
            "text": wrapper.format(payload=payload),
            "label": "attack",
            "kind": "encoded_payload",
            "split": split,
        }
    for text in rng.sample(cores, PER_KIND):
        obfuscate = rng.choice(OBFUSCATORS[split])
        yield {"text": obfuscate(text), "label": "attack", "kind": "obfuscated", "split": split}


def _fill(rng: random.Random, templates: list[str], split: str, count: int) -> list[str]:
    texts: set[str] = set()
    while len(texts) < count:
        template = rng.choice(templates)
        goal = rng.choice(GOALS[split])
        texts.add(rng.choice(PREFIXES[split]) + template.format(goal=goal))
    return sorted(texts)


def benign_examples(rng: random.Random) -> Iterator[Example]:
    """Hand-written customer messages, alternating between the two splits."""
    for kind, texts in BENIGN.items():
        for index, text in enumerate(texts):
            split = SPLITS[index % 2]
            yield {"text": text, "label": "benign", "kind": kind, "split": split}
            if kind in {"rude", "innocent_keywords", "general"} and rng.random() < 0.5:
                varied = rng.choice(PREFIXES[split]) + text
                yield {"text": varied, "label": "benign", "kind": kind, "split": split}


def bitext_examples(rng: random.Random) -> tuple[list[Example], list[Example]]:
    """Bitext customer requests: (eval items split dev/test, extra training-only items)."""
    instructions = BITEXT_COPY.read_text(encoding="utf-8").splitlines()
    rng.shuffle(instructions)
    chosen = instructions[: 2 * BITEXT_PER_SPLIT]
    evaluated = [
        {"text": text, "label": "benign", "kind": "bitext", "split": SPLITS[i % 2]}
        for i, text in enumerate(chosen)
    ]
    extra = [
        {"text": text, "label": "benign", "kind": "bitext", "split": "train"}
        for text in instructions[2 * BITEXT_PER_SPLIT :]
    ]
    return evaluated, extra


def copy_bitext_instructions() -> None:
    """Keep a copy of the Bitext requests beside this script (CDLA-Sharing-1.0, see NOTICE)."""
    if BITEXT_COPY.exists() or not BITEXT_CSV.exists():
        return
    with BITEXT_CSV.open(encoding="utf-8") as handle:
        rows = [row["instruction"].strip() for row in csv.DictReader(handle)]
    BITEXT_COPY.write_text("\n".join(dict.fromkeys(rows)) + "\n", encoding="utf-8")


def write_jsonl(path: Path, rows: list[Example]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def main() -> None:
    copy_bitext_instructions()
    rng = random.Random(20240605)
    rows = [row for split in SPLITS for row in attack_examples(rng, split)]
    rows += list(benign_examples(rng))
    bitext_eval, bitext_extra = bitext_examples(rng)
    rows += bitext_eval
    write_jsonl(HERE / "input_guard.jsonl", rows)
    training = [row for row in rows if row["split"] == "dev"] + bitext_extra
    write_jsonl(REPO / "guards" / "data" / "input_guard_train.jsonl", training)
    attacks = sum(row["label"] == "attack" for row in rows)
    print(f"{len(rows)} examples ({attacks} attacks), {len(training)} for training")


if __name__ == "__main__":
    main()
