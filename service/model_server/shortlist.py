"""A vocabulary shortlist: the output layer scores only the tokens a fine-tuned model writes.

Gemma 3's 262k-token vocabulary makes the output layer most of a small model's cost on a CPU
(about 60% of a 270M model's work per token). Fine-tuning builds the shortlist (every token of
the training texts, plus bytes, printable characters and the chat markers, so any text can
still be spelt), trains the reply softmax over it, and ships it beside the adapter as
`shortlist.json`. Training scores with `ShortlistHead`. Serving reorders the vocabulary
(`reorder_vocabulary`): the shortlist comes first and the output layer scores only those ids,
so sampling sorts 13,831 candidates instead of 262,144 per token; prompts are mapped into that
order and replies back out of it (`VocabularyOrder`), so any text can still be read.
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


class VocabularyOrder:
    """Token ids as a reordered model sees them: the shortlist first, every other token after."""

    def __init__(self, token_ids: list[int] | None = None, vocab_size: int = 0):
        self.size = len(token_ids) if token_ids else vocab_size
        self._to_vocab: list[int] | None = None
        self._to_model: list[int] | None = None
        if token_ids:
            shortlisted = set(token_ids)
            rest = [i for i in range(vocab_size) if i not in shortlisted]
            self._to_vocab = [*token_ids, *rest]
            self._to_model = [0] * vocab_size
            for model_id, vocab_id in enumerate(self._to_vocab):
                self._to_model[vocab_id] = model_id

    def to_model(self, ids: list[int]) -> list[int]:
        """Tokenizer ids as the model's ids."""
        table = self._to_model
        return list(ids) if table is None else [table[i] for i in ids]

    def to_vocab(self, ids: list[int]) -> list[int]:
        """The model's ids as tokenizer ids (for decoding)."""
        table = self._to_vocab
        return list(ids) if table is None else [table[i] for i in ids]

    def vocab_order(self) -> list[int]:
        """Tokenizer id of each model id, in model order."""
        return list(self._to_vocab or range(self.size))


def reorder_vocabulary(model: Any, token_ids: list[int]) -> VocabularyOrder:
    """Reorder `model`'s embedding so the shortlist comes first; score only the shortlist."""
    embedding = model.get_input_embeddings()
    order = VocabularyOrder(token_ids, embedding.weight.shape[0])
    output = model.get_output_embeddings().weight.detach()
    head = nn.Linear(output.shape[1], len(token_ids), bias=False, device=output.device)
    head.weight = nn.Parameter(output[token_ids].clone(), requires_grad=False)
    rows = torch.tensor(order.vocab_order(), device=output.device)
    embedding.weight = nn.Parameter(embedding.weight.detach()[rows].clone(), requires_grad=False)
    model.set_output_embeddings(head)
    model.config.tie_word_embeddings = False
    return order
