"""A vocabulary shortlist: the output layer scores only the tokens a fine-tuned model writes.

Gemma 3's 262k-token vocabulary makes the output layer most of a small model's cost on a CPU
(about 60% of a 270M model's work per token). Fine-tuning builds the shortlist (every token of
the training texts, plus bytes, printable characters and the chat markers, so any text can
still be spelt), trains the reply softmax over it, and ships it beside the adapter as
`shortlist.json`. Loading swaps the output layer for `ShortlistHead`, which computes only
those rows and leaves every other token at -inf: generation code sees the whole vocabulary.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import torch
from torch import nn

SHORTLIST_FILE = "shortlist.json"
LARGE_VOCABULARY = 100_000
"""Fine-tuning builds a shortlist by default only for vocabularies larger than this."""


class ShortlistHead(nn.Module):
    """An output layer over `token_ids` only; every other token scores -inf."""

    token_ids: torch.Tensor
    position: torch.Tensor

    def __init__(self, weight: torch.Tensor, token_ids: list[int], vocab_size: int):
        super().__init__()
        ids = torch.tensor(token_ids, dtype=torch.long)
        self.vocab_size = vocab_size
        self.register_buffer("token_ids", ids, persistent=False)
        self.weight = nn.Parameter(weight[ids].detach().clone(), requires_grad=False)
        position = torch.full((vocab_size,), -1, dtype=torch.long)
        position[ids] = torch.arange(len(ids))
        self.register_buffer("position", position, persistent=False)

    def short_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Scores over the shortlist alone (what training's loss uses)."""
        return nn.functional.linear(hidden, self.weight)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        short = self.short_logits(hidden)
        full = short.new_full((*short.shape[:-1], self.vocab_size), float("-inf"))
        return full.index_copy_(-1, self.token_ids, short)

    def short_targets(self, token_ids: torch.Tensor) -> torch.Tensor:
        """Vocabulary ids as shortlist positions; an id outside the shortlist is an error."""
        positions = self.position[token_ids]
        if bool((positions < 0).any()):
            raise ValueError("a target token is not in the shortlist")
        return positions


def build_shortlist(tokenizer: Any, texts: Iterable[str]) -> list[int]:
    """Every token of `texts`, plus what any text needs to stay spellable."""
    ids = set(_spelling_ids(tokenizer)) | set(tokenizer.all_special_ids)
    for text in texts:
        ids.update(tokenizer(text, add_special_tokens=False)["input_ids"])
    return sorted(ids)


def _spelling_ids(tokenizer: Any) -> list[int]:
    """Byte-fallback tokens and single printable characters, with or without a word start."""
    printable = set(string.printable.strip()) | {" "}
    wanted = {f"<0x{b:02X}>" for b in range(256)}
    wanted |= printable | {prefix + c for c in printable for prefix in ("▁", "Ġ")}
    vocab = tokenizer.get_vocab()
    return [vocab[token] for token in wanted if token in vocab]


def save_shortlist(directory: Path, token_ids: list[int]) -> None:
    (directory / SHORTLIST_FILE).write_text(json.dumps({"token_ids": token_ids}), encoding="utf-8")


def load_shortlist(directory: Path) -> list[int] | None:
    """The shortlist shipped beside an adapter, or None when it has none."""
    path = directory / SHORTLIST_FILE
    if not path.exists():
        return None
    return list(json.loads(path.read_text(encoding="utf-8"))["token_ids"])


def apply_shortlist(model: Any, token_ids: list[int]) -> ShortlistHead:
    """Replace `model`'s output layer with a `ShortlistHead` over `token_ids`."""
    current = model.get_output_embeddings()
    head = ShortlistHead(current.weight, token_ids, current.weight.shape[0])
    model.set_output_embeddings(head.to(current.weight.device))
    return head
