"""The fine-tuning recipe: the seed model card's LoRA settings, as defaults a run can change."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from service.finetune.data import DEFAULT_DATA
from service.model_server.embedded import GEMMA3_270M

EMBEDDED_GEMMA = GEMMA3_270M.spec
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class Recipe:
    """What one fine-tuning run does; written into the model card as it ran."""

    out: Path
    model: str = EMBEDDED_GEMMA
    data: Path = DEFAULT_DATA
    cache_dir: Path = Path("var/models")
    """Where embedded models' converted copies are cached."""
    lora_r: int = 8
    lora_alpha: int = 8
    learning_rate: float = 2e-4
    epochs: float = 1.0
    batch_size: int = 1
    grad_accumulation: int = 16
    max_examples: int | None = None
    max_length: int = 384
    seed: int = 0
    shortlist: bool | None = None
    """Train the reply softmax over a vocabulary shortlist (None: only for large vocabularies)."""
    load_in_4bit: bool = False
    threads: int | None = None
    """CPU threads for torch (None: torch's default)."""
    continue_from: Path | None = None
    """An adapter written by an earlier run: its weights are the start, and the pairs its runs
    trained on are skipped, so an epoch can be split over several runs."""

    @property
    def effective_batch(self) -> int:
        return self.batch_size * self.grad_accumulation

    def as_dict(self) -> dict[str, Any]:
        return {
            key: str(value) if isinstance(value, Path) else value
            for key, value in asdict(self).items()
        }
