"""Prefix sharing for models with sliding-window layers, such as Gemma 3.

Every turn's prompt starts with the same system prompt. Continuous batching can keep its KV
pages once and share them between requests, but transformers shares pages only when every
layer is full attention: a sliding-window layer's pages are overwritten as the window moves.
While a conversation fits inside the window (512 tokens for Gemma 3 270M, which is where
every fine-tuning example lies), a sliding-window layer sees exactly what a full-attention
layer sees. So `share_prefixes` declares those layers full attention for the cache and the
masks, and keeps what really differs: their own rotary position embedding (Gemma 3's local
layers use a different RoPE base). Past the window, those layers see further back than they
were trained to; docs/benchmarks.md measures what that costs.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from torch import nn

SLIDING = "sliding_attention"
FULL = "full_attention"


def share_prefixes(model: Any) -> int | None:
    """Make `model`'s sliding-window layers shareable. Returns the window: prompts longer than
    it must be shortened to stay exact. None when there is nothing to change (no sliding
    layers, or only sliding layers, which have no full-attention setting to borrow)."""
    config = model.config.get_text_config()
    layer_types = list(getattr(config, "layer_types", None) or [])
    if set(layer_types) != {SLIDING, FULL}:
        return None
    decoder = _decoder(model)
    for layer, layer_type in zip(decoder.layers, layer_types, strict=False):
        if layer_type == SLIDING:
            layer.self_attn.sliding_window = None
            hook = partial(_local_rotary, decoder.rotary_emb)
            layer.register_forward_pre_hook(hook, with_kwargs=True)
    config.layer_types = [FULL] * len(layer_types)
    return int(config.sliding_window)


def _decoder(model: nn.Module) -> Any:
    """The text decoder: the module holding the layers and the rotary embedding."""
    return next(m for m in model.modules() if hasattr(m, "layers") and hasattr(m, "rotary_emb"))


def _local_rotary(
    rotary: Any, layer: nn.Module, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Give a former sliding-window layer its own (local) rotary position embedding."""
    hidden = args[0] if args else kwargs["hidden_states"]
    kwargs["position_embeddings"] = rotary(hidden, kwargs["position_ids"], SLIDING)
    return args, kwargs
