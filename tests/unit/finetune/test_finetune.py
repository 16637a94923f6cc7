"""`guardchat finetune` on the tiny Gemma 3 (saved as the 4B's multimodal class): the recipe
runs end to end on the CPU, the loss falls, and the adapter it writes loads through the
model server's own code and changes what the model says."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import torch

from service.finetune.data import HELD_OUT_PER_INTENT, load_pairs, split_pairs
from service.finetune.recipe import Recipe
from service.finetune.train import finetune
from service.model_server.loading import load_model
from service.model_server.prompting import prompt_ids
from service.model_server.shortlist import SHORTLIST_FILE

COLUMNS = ["instruction", "intent", "category", "response"]


def row(instruction: str, intent: str, response: str) -> dict[str, str]:
    return {"instruction": instruction, "intent": intent, "category": "ORDER", "response": response}


def write_pairs(path: Path, per_intent: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(per_intent):
            writer.writerow(row(f"where is order {i}", "track_order", "Your order is on its way."))
            writer.writerow(row(f"cancel order {i}", "cancel_order", "I noted the cancellation."))
    return path


@pytest.fixture(scope="module")
def trained(tiny_gemma_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("finetune")
    recipe = Recipe(
        out=folder / "adapter", model=str(tiny_gemma_dir),
        data=write_pairs(folder / "pairs.csv", HELD_OUT_PER_INTENT + 6),
        learning_rate=5e-3, epochs=4, grad_accumulation=2, shortlist=True, lora_r=4,
    )  # fmt: skip
    finetune(recipe)
    return recipe.out


def test_held_out_pairs_are_never_in_the_training_split(tmp_path: Path) -> None:
    pairs = load_pairs(write_pairs(tmp_path / "pairs.csv", HELD_OUT_PER_INTENT + 6))
    train, held_out = split_pairs(pairs)
    assert len(held_out) == 2 * HELD_OUT_PER_INTENT
    assert not {p.instruction for p in train} & {p.instruction for p in held_out}
    assert split_pairs(pairs) == (train, held_out)  # seeded: the same split every time


def test_finetuning_lowers_the_loss_and_writes_adapter_shortlist_and_card(trained: Path) -> None:
    run = json.loads((trained / "training_run.json").read_text())
    assert run["result"]["last_loss"] < run["result"]["first_loss"]
    assert (trained / "adapter_config.json").exists()
    assert (trained / SHORTLIST_FILE).exists()
    assert "guardchat finetune" in (trained / "README.md").read_text()


def test_the_adapter_loads_through_the_server_path_and_changes_the_output(
    tiny_gemma_dir: Path, trained: Path, tmp_path: Path
) -> None:
    base = load_model(str(tiny_gemma_dir), None, "cpu", tmp_path)
    tuned = load_model(str(tiny_gemma_dir), str(trained), "cpu", tmp_path)
    allowed = json.loads((trained / SHORTLIST_FILE).read_text())["token_ids"]
    messages = [{"role": "user", "content": "where is order 3"}]
    ids = prompt_ids(tuned.tokenizer, messages)
    with torch.no_grad():
        before = base.model(input_ids=torch.tensor([ids])).logits[0, -1]
        after = tuned.model(input_ids=torch.tensor([tuned.vocabulary.to_model(ids)])).logits[0, -1]
    assert after.shape[-1] == len(allowed)  # the served model scores the shortlist only
    assert not torch.allclose(before[allowed], after)  # in the shortlist's order
    assert tuned.vocabulary.to_vocab([int(after.argmax())])[0] in allowed


def test_a_continued_run_starts_from_the_adapter_and_skips_the_pairs_it_trained_on(
    trained: Path, tiny_gemma_dir: Path, tmp_path: Path
) -> None:
    data = Path(json.loads((trained / "training_run.json").read_text())["recipe"]["data"])
    settings: dict[str, Any] = {"model": str(tiny_gemma_dir), "data": data, "epochs": 4}
    settings["learning_rate"] = 5e-3
    first = Recipe(out=tmp_path / "first", max_examples=6, grad_accumulation=2, lora_r=4,
                   shortlist=True, **settings)  # fmt: skip
    before = finetune(first)
    second = Recipe(out=tmp_path / "second", grad_accumulation=2, lora_r=4, shortlist=True,
                    continue_from=first.out, **settings)  # fmt: skip
    result = finetune(second)
    train, _ = split_pairs(load_pairs(data))
    run = json.loads((second.out / "training_run.json").read_text())
    assert result.examples == len(train) - 6  # every pair, once, over the two runs
    assert result.first_loss is not None and before.first_loss is not None
    assert result.first_loss < before.first_loss  # it started where the first run ended
    assert [r["result"]["examples"] for r in run["earlier_runs"]] == [6]
    assert "continued earlier runs" in (second.out / "README.md").read_text()
