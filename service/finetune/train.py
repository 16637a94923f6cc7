"""One LoRA fine-tuning run with the transformers Trainer: progress bar, resumable
checkpoints, fixed seed, loss on the reply only. Writes a peft adapter (plus `shortlist.json`
when the output layer was shortlisted) and the model card.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import Trainer, TrainingArguments

from service.finetune.card import earlier_runs, write_card
from service.finetune.data import (
    balanced_subset,
    chat_messages,
    load_pairs,
    split_pairs,
    tokenize_example,
    untrained_pairs,
)
from service.finetune.recipe import LORA_TARGETS, Recipe
from service.model_server.loading import load_base_for_training
from service.model_server.shortlist import (
    LARGE_VOCABULARY,
    ShortlistHead,
    apply_shortlist,
    build_shortlist,
    load_shortlist,
    save_shortlist,
)

log = logging.getLogger("guardchat.finetune")


@dataclass(frozen=True)
class TrainingResult:
    """What the run did, for the model card."""

    examples: int
    tokens: int
    steps: int
    first_loss: float | None
    last_loss: float | None
    seconds: float


def finetune(recipe: Recipe) -> TrainingResult:
    """Run `recipe`; the adapter and its card end up in `recipe.out`."""
    if recipe.threads:
        torch.set_num_threads(recipe.threads)
    torch.manual_seed(recipe.seed)
    base, tokenizer = load_base_for_training(recipe.model, recipe.load_in_4bit, recipe.cache_dir)
    examples = _examples(recipe, tokenizer)
    head = _maybe_shortlist(recipe, base, tokenizer)
    model = _with_lora(base, recipe)
    started = time.monotonic()
    trainer = ReplyLossTrainer(
        model=model,
        args=_arguments(recipe),
        train_dataset=examples,
        data_collator=PadCollator(tokenizer.pad_token_id or 0),
    )
    trainer.shortlist_head = head
    trainer.train(resume_from_checkpoint=_last_checkpoint(recipe.out))
    model.peft_config["default"].base_model_name_or_path = recipe.model
    model.save_pretrained(recipe.out)
    if head is not None:
        save_shortlist(recipe.out, head.token_ids.tolist())
    result = _result(trainer, examples, time.monotonic() - started)
    write_card(recipe, result)
    return result


def _examples(recipe: Recipe, tokenizer: Any) -> list[dict[str, list[int]]]:
    train, _ = split_pairs(load_pairs(recipe.data))
    remaining = untrained_pairs(train, earlier_runs(recipe))
    chosen = balanced_subset(remaining, recipe.max_examples, recipe.seed)
    log.info(
        "training on %d of %d pairs (held-out pairs and %d trained on earlier excluded)",
        len(chosen), len(train), len(train) - len(remaining),
    )  # fmt: skip
    return [
        tokenize_example(tokenizer, chat_messages(pair, i), recipe.max_length)
        for i, pair in enumerate(chosen)
    ]


def _maybe_shortlist(recipe: Recipe, base: Any, tokenizer: Any) -> ShortlistHead | None:
    vocab = base.get_output_embeddings().weight.shape[0]
    wanted = recipe.shortlist if recipe.shortlist is not None else vocab > LARGE_VOCABULARY
    if not wanted:
        return None
    earlier = load_shortlist(recipe.continue_from) if recipe.continue_from else None
    token_ids = earlier or build_shortlist(tokenizer, shortlist_texts(recipe.data))
    log.info("output layer shortlisted to %d of %d tokens", len(token_ids), vocab)
    return apply_shortlist(base, token_ids)


def shortlist_texts(data: Path) -> list[str]:
    """All Bitext texts (held-out included: the vocabulary, not the answers) and the varied
    customer messages the input guard trains on, so everyday words stay whole tokens."""
    import json

    from guards.input_checks.classifier import TRAINING_DATA_PATH

    pairs = load_pairs(data)
    texts = [p.response for p in pairs] + [p.instruction for p in pairs]
    lines = TRAINING_DATA_PATH.read_text(encoding="utf-8").splitlines()
    return texts + [json.loads(line)["text"] for line in lines if line.strip()]


def _with_lora(base: Any, recipe: Recipe) -> Any:
    """Fresh LoRA layers, or the earlier adapter's, trainable, when the run continues one."""
    from peft import LoraConfig, PeftModel, get_peft_model

    if recipe.continue_from:
        return PeftModel.from_pretrained(base, str(recipe.continue_from), is_trainable=True)

    targets = [name for name, module in base.named_modules() if _is_text_target(name, module)]
    config = LoraConfig(
        r=recipe.lora_r,
        lora_alpha=recipe.lora_alpha,
        lora_dropout=0.0,
        target_modules=targets,
        task_type="CAUSAL_LM",
    )
    return get_peft_model(base, config)


def _is_text_target(name: str, module: Any) -> bool:
    """The language model's projections; a vision tower's layers stay untouched."""
    return (
        isinstance(module, torch.nn.Linear) and name.endswith(LORA_TARGETS) and "vision" not in name
    )


def _arguments(recipe: Recipe) -> TrainingArguments:
    on_gpu = torch.cuda.is_available()
    return TrainingArguments(
        output_dir=str(recipe.out / "checkpoints"), num_train_epochs=recipe.epochs,
        per_device_train_batch_size=recipe.batch_size,
        gradient_accumulation_steps=recipe.grad_accumulation,
        learning_rate=recipe.learning_rate, lr_scheduler_type="linear", warmup_steps=5,
        weight_decay=0.01, seed=recipe.seed, data_seed=recipe.seed, logging_steps=5,
        save_steps=10, save_total_limit=2, report_to=[], remove_unused_columns=False,
        bf16=on_gpu, use_cpu=not on_gpu, dataloader_num_workers=0, disable_tqdm=False,
    )  # fmt: skip


def _last_checkpoint(out: Path) -> str | None:
    """The newest checkpoint of an interrupted run of the same output folder, to resume."""
    checkpoints = sorted((out / "checkpoints").glob("checkpoint-*"), key=_step_of)
    return str(checkpoints[-1]) if checkpoints else None


def _step_of(path: Path) -> int:
    return int(path.name.rsplit("-", 1)[-1])


def _result(
    trainer: Trainer, examples: list[dict[str, list[int]]], seconds: float
) -> TrainingResult:
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    return TrainingResult(
        examples=len(examples), tokens=sum(len(e["input_ids"]) for e in examples),
        steps=trainer.state.global_step, first_loss=losses[0] if losses else None,
        last_loss=losses[-1] if losses else None, seconds=round(seconds, 1),
    )  # fmt: skip


class PadCollator:
    """Right-pads a batch: pad ids for inputs, -100 for labels, an attention mask."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, batch: list[dict[str, list[int]]]) -> dict[str, torch.Tensor]:
        width = max(len(item["input_ids"]) for item in batch)

        def padded(key: str, fill: int) -> torch.Tensor:
            return torch.tensor([item[key] + [fill] * (width - len(item[key])) for item in batch])

        mask = torch.tensor(
            [[1] * len(i["input_ids"]) + [0] * (width - len(i["input_ids"])) for i in batch]
        )
        return {
            "input_ids": padded("input_ids", self.pad_id),
            "labels": padded("labels", -100),
            "attention_mask": mask,
        }


class ReplyLossTrainer(Trainer):
    """Cross-entropy on reply tokens only, computed from hidden states, so the output layer
    runs for reply positions alone (and over the shortlist when there is one)."""

    shortlist_head: ShortlistHead | None = None

    def compute_loss(  # type: ignore[override]
        self,
        model: Any,
        inputs: dict[str, torch.Tensor],
        return_outputs: bool = False,
        num_items_in_batch: torch.Tensor | int | None = None,
    ) -> torch.Tensor:
        """Summed token loss over the reply tokens of the whole accumulated batch, so every
        reply token weighs the same however the micro-batches fall."""
        base = model.get_base_model()
        hidden = base.get_decoder()(
            input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]
        ).last_hidden_state
        targets = inputs["labels"][:, 1:]
        chosen, wanted = hidden[:, :-1][targets != -100], targets[targets != -100]
        if self.shortlist_head is not None:
            logits = self.shortlist_head.short_logits(chosen)
            wanted = self.shortlist_head.short_targets(wanted)
        else:
            logits = base.get_output_embeddings()(chosen)
        loss = torch.nn.functional.cross_entropy(logits.float(), wanted, reduction="sum")
        return loss / (num_items_in_batch or max(1, wanted.numel()))
