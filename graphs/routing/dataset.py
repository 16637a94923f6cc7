"""The labelled texts triage learns from and is measured on.

The Bitext sample ships inside this package (``data/bitext/``, with its licence notice beside it),
so training needs nothing outside the installed project.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

BITEXT_SAMPLE = Path(__file__).parent / "data" / "bitext" / "bitext_sample_train.csv"


@dataclass(frozen=True)
class LabelledText:
    """A customer message with its Bitext intent and category."""

    text: str
    intent: str
    category: str


def load_bitext_sample(path: Path = BITEXT_SAMPLE) -> list[LabelledText]:
    """The rows of a Bitext CSV (`flags,instruction,category,intent`)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            LabelledText(text=row["instruction"], intent=row["intent"], category=row["category"])
            for row in csv.DictReader(handle)
        ]


def load_labelled_jsonl(path: Path) -> list[LabelledText]:
    """Lines of `{"text", "intent", "category"}`, such as `data/eval/intents_extra.jsonl`."""
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [LabelledText(r["text"], r["intent"], r["category"]) for r in records]


def category_of_intent(examples: list[LabelledText]) -> dict[str, str]:
    """Each intent's category, as the examples label it."""
    return {example.intent: example.category for example in examples}
