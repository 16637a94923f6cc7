from pathlib import Path

import pytest
import torch

from service.model_server.loading import ModelNotFound, load_model, resolve_model_dir
from service.model_server.prompting import GEMMA3_TEMPLATE, prompt_ids, stop_token_ids
from tests.conftest import MODEL_CACHE


def test_gemma3_checkpoint_saved_as_multimodal_loads_in_float32_on_cpu(
    tiny_gemma_dir: Path,
) -> None:
    loaded = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    assert type(loaded.model).__name__ == "Gemma3ForConditionalGeneration"
    assert next(loaded.model.parameters()).dtype == torch.float32


def test_tokenizer_without_template_gets_gemma_turns_and_end_of_turn_stop(
    tiny_gemma_dir: Path,
) -> None:
    loaded = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    text = loaded.tokenizer.decode(prompt_ids(loaded.tokenizer, messages))
    assert loaded.tokenizer.chat_template == GEMMA3_TEMPLATE
    assert "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>" in text
    assert text.endswith("<start_of_turn>model\n")
    assert loaded.tokenizer.convert_tokens_to_ids("<end_of_turn>") in stop_token_ids(
        loaded.tokenizer
    )


def test_lora_adapter_changes_the_model_output(tiny_gemma_dir: Path, tiny_lora_dir: Path) -> None:
    plain = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    adapted = load_model(str(tiny_gemma_dir), str(tiny_lora_dir), "cpu", MODEL_CACHE)
    ids = torch.tensor([[1, 5, 9, 13]])
    with torch.no_grad():
        assert not torch.allclose(plain.model(ids).logits, adapted.model(ids).logits)


def test_adapter_directory_without_config_is_refused(tiny_gemma_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match=r"adapter_config\.json"):
        load_model(str(tiny_gemma_dir), str(tmp_path), "cpu", MODEL_CACHE)


def test_unknown_hub_id_is_not_downloaded() -> None:
    with pytest.raises(ModelNotFound, match="not in the Hugging Face cache"):
        resolve_model_dir("nobody/no-such-model-xyz", MODEL_CACHE)


def test_a_reply_begun_by_the_assistant_is_continued_not_closed(tiny_gemma_dir: Path) -> None:
    loaded = load_model(str(tiny_gemma_dir), None, "cpu", MODEL_CACHE)
    messages = [
        {"role": "user", "content": "Can I return it?"},
        {"role": "assistant", "content": "Items can be returned within 30 days."},
    ]
    text = loaded.tokenizer.decode(prompt_ids(loaded.tokenizer, messages, continue_final=True))
    assert text.endswith("<start_of_turn>model\nItems can be returned within 30 days.")
