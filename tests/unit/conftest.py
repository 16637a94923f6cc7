"""A tiny, randomly initialised Gemma 3 (saved the way Gemma 3 4B checkpoints are, as the
multimodal class), with a tokenizer that has Gemma's turn markers but no chat template, so
the production code path (bf16/float32 choice, fallback template, LoRA) runs on the CPU.

Here, above tests/unit/model_server and tests/unit/finetune, so both folders share one (a
fixture imported into a second conftest is a second fixture, built a second time)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from service.model_server.embedded import SMOLLM2
from service.model_server.loading import resolve_model_dir
from tests.conftest import MODEL_CACHE

GEMMA_TURN_TOKENS = ["<start_of_turn>", "<end_of_turn>"]


def tiny_gemma3_config(vocab_size: int) -> object:
    from transformers import Gemma3Config, Gemma3TextConfig, SiglipVisionConfig

    text = Gemma3TextConfig(
        vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=16, sliding_window=16,
        max_position_embeddings=512, layer_types=["sliding_attention", "full_attention"],
    )  # fmt: skip
    vision = SiglipVisionConfig(
        hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        image_size=32, patch_size=8,
    )  # fmt: skip
    return Gemma3Config(
        text_config=text, vision_config=vision, mm_tokens_per_image=4,
        boi_token_index=vocab_size - 3, eoi_token_index=vocab_size - 2,
        image_token_index=vocab_size - 1,
    )  # fmt: skip


@pytest.fixture(scope="session")
def tiny_gemma_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import AutoTokenizer, Gemma3ForConditionalGeneration

    tokenizer = AutoTokenizer.from_pretrained(resolve_model_dir(SMOLLM2.spec, MODEL_CACHE))
    tokenizer.add_special_tokens({"additional_special_tokens": GEMMA_TURN_TOKENS})
    tokenizer.chat_template = None
    torch.manual_seed(0)
    model = Gemma3ForConditionalGeneration(tiny_gemma3_config(len(tokenizer) + 3))  # type: ignore[arg-type]
    target = tmp_path_factory.mktemp("tiny-gemma3")
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    (target / "chat_template.jinja").unlink(missing_ok=True)
    return target


@pytest.fixture(scope="session")
def tiny_lora_dir(tiny_gemma_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from peft import LoraConfig, get_peft_model
    from transformers import Gemma3ForConditionalGeneration

    base = Gemma3ForConditionalGeneration.from_pretrained(tiny_gemma_dir)
    config = LoraConfig(
        r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False
    )
    adapted = get_peft_model(base, config)
    target = tmp_path_factory.mktemp("tiny-lora")
    adapted.save_pretrained(target)
    return target
