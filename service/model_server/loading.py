"""Finding and loading the language model: a local directory, a cached hub id, or an embedded
GGUF (converted once to a safetensors copy so later starts are fast), plus a LoRA adapter and
the vocabulary shortlist it was trained with.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.model_server.embedded import EMBEDDED_MODELS, EmbeddedModel
from service.model_server.naming import model_display_name
from service.model_server.shortlist import VocabularyOrder, load_shortlist, reorder_vocabulary

log = logging.getLogger("guardchat.model")


class ModelNotFound(ValueError):
    """The configured model cannot be found locally; the message says where we looked."""


@dataclass
class LoadedModel:
    """A model ready to generate, with what the server needs to know about it."""

    model: Any
    tokenizer: Any
    device: str
    name: str
    vocabulary: VocabularyOrder
    """How the model's token ids map to the tokenizer's (reordered when a shortlist ships)."""


def resolve_device(requested: str) -> str:
    """`auto` becomes `cuda` when a GPU is usable, else `cpu`."""
    import torch

    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelNotFound("--device cuda was asked for, but no CUDA device is available")
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


def resolve_model_dir(spec: str, cache_dir: Path) -> Path:
    """A directory holding config.json and weights for `spec`, converting the embedded model."""
    if spec in EMBEDDED_MODELS:
        return embedded_model_dir(EMBEDDED_MODELS[spec], cache_dir)
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").exists():
            raise ModelNotFound(f"model directory {path} has no config.json")
        return path
    return _hub_cache_dir(spec)


def _hub_cache_dir(repo_id: str) -> Path:
    """A hub id, only if it is already in the local Hugging Face cache (no downloads)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    if repo_id.count("/") != 1:
        raise ModelNotFound(f"model {repo_id!r} is neither a directory nor a hub id (owner/name)")
    try:
        return Path(snapshot_download(repo_id, local_files_only=True))
    except LocalEntryNotFoundError:
        raise ModelNotFound(
            f"model {repo_id!r} is not a local directory and not in the Hugging Face cache; "
            "download it where a network is available and point GUARDCHAT_MODEL at the directory"
        ) from None


def embedded_model_dir(embedded: EmbeddedModel, cache_dir: Path) -> Path:
    """An embedded model, dequantized from its GGUF once and cached as safetensors."""
    target = cache_dir / embedded.name
    if (target / "model.safetensors").exists():
        return target
    try:
        gguf = embedded.gguf_path()
    except LookupError as exc:
        raise ModelNotFound(str(exc)) from None
    with progress(f"converting the embedded {embedded.name} GGUF to a cached safetensors copy"):
        _convert_gguf(gguf.parent, gguf.name, target)
    return target


def _convert_gguf(source_dir: Path, gguf_file: str, target: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source_dir, gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(source_dir, gguf_file=gguf_file)
    _forget_gguf_origin(model)
    partial = target.with_name(target.name + ".partial")
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    partial.rename(target)  # atomic: a crash mid-way never leaves a half-written cache


def _forget_gguf_origin(model: Any) -> None:
    """The weights are dequantized to float already; drop the GGUF marker so they can be saved."""
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


@contextmanager
def progress(what: str, every_s: float = 5.0) -> Iterator[None]:
    """Log `what` and then a heartbeat every few seconds until the block finishes."""
    log.info("%s ...", what)
    started = time.monotonic()
    done = threading.Event()

    def beat() -> None:
        while not done.wait(every_s):
            log.info("%s ... %.0fs", what, time.monotonic() - started)

    threading.Thread(target=beat, daemon=True).start()
    try:
        yield
    finally:
        done.set()
        log.info("%s: done in %.1fs", what, time.monotonic() - started)


def load_model(spec: str, adapter: str | None, device: str, cache_dir: Path) -> LoadedModel:
    """Load tokenizer and model (plus an optional LoRA adapter) onto `device`."""
    from transformers import AutoTokenizer

    model_dir = resolve_model_dir(spec, cache_dir)
    device = resolve_device(device)
    with progress(f"loading model {model_dir.name} on {device}"):
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        model = _load_causal_lm(model_dir, device)
        vocabulary = VocabularyOrder(vocab_size=len(tokenizer))
        if adapter:
            model, vocabulary = _apply_adapter(model, Path(adapter), vocabulary)
        model.eval()
    return LoadedModel(model, tokenizer, device, model_display_name(spec), vocabulary)


def _load_causal_lm(model_dir: Path, device: str, four_bit: bool | None = None) -> Any:
    """bf16 with SDPA attention on CUDA, float32 on CPU; Gemma 3 multimodal checkpoints too."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(model_dir)
    kwargs: dict[str, Any] = {
        "dtype": torch.bfloat16 if device.startswith("cuda") else torch.float32,
        "attn_implementation": "sdpa",
    }
    if _wants_4bit(device, four_bit):
        kwargs["quantization_config"] = _four_bit_config()
    if getattr(config, "model_type", "") == "gemma3":
        return _load_gemma3_text(model_dir, kwargs).to(device)
    model: Any = AutoModelForCausalLM.from_pretrained(model_dir, **kwargs)
    return model.to(device)


def _load_gemma3_text(model_dir: Path, kwargs: dict[str, Any]) -> Any:
    """Gemma 3 4B checkpoints are saved as the multimodal class; load it and keep it whole.

    Gemma3ForConditionalGeneration generates from text alone, so the vision tower simply
    stays unused; loading it as the text-only class would drop the language weights' prefix.
    """
    from transformers import Gemma3ForConditionalGeneration

    return Gemma3ForConditionalGeneration.from_pretrained(model_dir, **kwargs)


def _wants_4bit(device: str, asked: bool | None = None) -> bool:
    """4-bit on a GPU only: when asked, or by `GUARDCHAT_LOAD_IN_4BIT=1` when nobody asked."""
    import os

    wanted = os.environ.get("GUARDCHAT_LOAD_IN_4BIT") == "1" if asked is None else asked
    return device.startswith("cuda") and wanted


def _four_bit_config() -> Any:
    from transformers import BitsAndBytesConfig

    if importlib.util.find_spec("bitsandbytes") is None:
        raise ModelNotFound("GUARDCHAT_LOAD_IN_4BIT=1 needs the bitsandbytes package")
    return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4")


def _apply_adapter(
    model: Any, adapter_dir: Path, vocabulary: VocabularyOrder
) -> tuple[Any, VocabularyOrder]:
    """Merge the LoRA adapter; use the vocabulary shortlist it was trained with, if any."""
    from peft import PeftModel

    if not (adapter_dir / "adapter_config.json").exists():
        raise ModelNotFound(f"adapter directory {adapter_dir} has no adapter_config.json")
    merged = PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
    token_ids = load_shortlist(adapter_dir)
    if token_ids is not None:
        vocabulary = reorder_vocabulary(merged, token_ids)
    return merged, vocabulary


def load_base_for_training(spec: str, load_in_4bit: bool, cache_dir: Path) -> tuple[Any, Any]:
    """The base model (bf16 on a GPU, optionally 4-bit; float32 on a CPU) and its tokenizer."""
    from transformers import AutoTokenizer

    model_dir = resolve_model_dir(spec, cache_dir)
    device = resolve_device("auto")
    with progress(f"loading {model_dir.name} for fine-tuning on {device}"):
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        model = _load_causal_lm(model_dir, device, four_bit=load_in_4bit)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer
