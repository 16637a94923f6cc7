"""Bitext instruction/response pairs: loading, a held-out split, and chat-formatted examples.

The split is stratified by intent and seeded, so training and `guardchat eval replies` always
agree on which pairs were never trained on.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphs import persona_prompt

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "data" / "bitext" / "bitext_responses_train.csv"
)
HELD_OUT_PER_INTENT = 8
SPLIT_SEED = 20261129
TRAINING_COMPANIES = ("Acme Outfitters", "Northwind Telecom", "Bluebird Travel", "Crest Bank")
"""Company names the training prompts rotate through, so the model reads the name it is given."""


@dataclass(frozen=True)
class Pair:
    """One Bitext request and its verbatim reference response."""

    instruction: str
    response: str
    intent: str
    category: str


def load_pairs(path: Path = DEFAULT_DATA) -> list[Pair]:
    """Every row of a Bitext CSV with `instruction`, `response`, `intent` and `category`."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"instruction", "response", "intent", "category"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return [Pair(r["instruction"], r["response"], r["intent"], r["category"]) for r in rows]


def split_pairs(pairs: Sequence[Pair]) -> tuple[list[Pair], list[Pair]]:
    """(train, held_out): `HELD_OUT_PER_INTENT` pairs of each intent are never trained on."""
    by_intent: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_intent[pair.intent].append(pair)
    rng = random.Random(SPLIT_SEED)
    train, held_out = [], []
    for intent in sorted(by_intent):
        group = sorted(by_intent[intent], key=lambda p: (p.instruction, p.response))
        rng.shuffle(group)
        held_out += group[:HELD_OUT_PER_INTENT]
        train += group[HELD_OUT_PER_INTENT:]
    return train, held_out


def balanced_subset(pairs: Sequence[Pair], limit: int | None, seed: int) -> list[Pair]:
    """At most `limit` pairs, taking intents in turn so every intent is covered; shuffled."""
    rng = random.Random(seed)
    queues = _shuffled_by_intent(pairs, rng)
    chosen: list[Pair] = []
    while any(queues.values()) and (limit is None or len(chosen) < limit):
        for intent in sorted(queues):
            if queues[intent] and (limit is None or len(chosen) < limit):
                chosen.append(queues[intent].pop())
    rng.shuffle(chosen)
    return chosen


def untrained_pairs(train: Sequence[Pair], runs: Sequence[Mapping[str, Any]]) -> list[Pair]:
    """`train` less the pairs earlier runs trained on, replaying each run's seeded choice."""
    remaining = list(train)
    for run in runs:
        recipe = run["recipe"]
        chosen = set(balanced_subset(remaining, recipe["max_examples"], recipe["seed"]))
        remaining = [pair for pair in remaining if pair not in chosen]
    return remaining


def _shuffled_by_intent(pairs: Iterable[Pair], rng: random.Random) -> dict[str, list[Pair]]:
    queues: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        queues[pair.intent].append(pair)
    for intent in sorted(queues):
        rng.shuffle(queues[intent])
    return queues


def chat_messages(pair: Pair, index: int) -> list[dict[str, str]]:
    """The pair as the model sees it when serving: persona, the request, the reply."""
    company = TRAINING_COMPANIES[index % len(TRAINING_COMPANIES)]
    return [
        {"role": "system", "content": persona_prompt(company)},
        {"role": "user", "content": pair.instruction.strip()},
        {"role": "assistant", "content": pair.response.strip()},
    ]


def tokenize_example(
    tokenizer: Any, messages: list[dict[str, str]], max_len: int
) -> dict[str, list[int]]:
    """Input ids and labels; labels are -100 everywhere but the reply, so loss is on the reply."""
    from service.model_server.prompting import prompt_ids, reply_end_ids

    prompt = prompt_ids(tokenizer, messages[:-1])
    reply = tokenizer(messages[-1]["content"], add_special_tokens=False)["input_ids"]
    reply = (reply + reply_end_ids(tokenizer))[: max(0, max_len - len(prompt))]
    return {"input_ids": prompt + reply, "labels": [-100] * len(prompt) + reply}
