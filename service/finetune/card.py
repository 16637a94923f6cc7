"""The adapter's model card: data, recipe, what the run measured, and the exact command."""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.finetune.recipe import Recipe
    from service.finetune.train import TrainingResult

CARD_FILE = "README.md"
RUN_FILE = "training_run.json"

CARD = """# {name}: a LoRA adapter for guardchat

Base model: `{model}`. Fine-tuned by `guardchat finetune` on Bitext customer-support
instruction/response pairs (CDLA-Sharing-1.0, see data/bitext/NOTICE.md), in the base model's
chat template, loss on the reply only. {held_out} pairs ({per_intent} of each of the 27 intents)
are held out by a seeded split and never trained on; `guardchat eval replies` measures on them.

## Recipe

| setting | value |
|---|---|
{recipe_rows}

## This run

| measure | value |
|---|---|
{result_rows}

Command:

```sh
{command}
```

{earlier}Evaluation figures: `docs/benchmarks.md` (section "Replies"), produced by
`guardchat eval replies`.

## Intended use and limits

Answers customer-support requests inside guardchat, behind its redaction, input guards and
output check; not a general assistant. Bitext replies use `{{{{Slot}}}}` templates that guardchat
fills from the company profile; facts the bot states come from the company's own knowledge
base, not from the model.
"""


def earlier_runs(recipe: Recipe) -> list[dict[str, Any]]:
    """The runs behind the adapter `recipe` continues, oldest first (none for a fresh run)."""
    if recipe.continue_from is None:
        return []
    run = json.loads((recipe.continue_from / RUN_FILE).read_text(encoding="utf-8"))
    return [*run.get("earlier_runs", []), {k: v for k, v in run.items() if k != "earlier_runs"}]


def _earlier_section(runs: list[dict[str, Any]]) -> str:
    if not runs:
        return ""
    rows = "\n".join(
        f"| {r['result']['examples']} | {r['result']['steps']} | {r['result']['seconds']} "
        f"| `{shlex.join(['guardchat', *r['argv']])}` |"
        for r in runs
    )
    head = "This run continued earlier runs, which trained on other pairs of the same split:"
    return f"{head}\n\n| examples | steps | seconds | command |\n|---|---|---|---|\n{rows}\n\n"


def write_card(recipe: Recipe, result: TrainingResult) -> None:
    """README.md (the card) and training_run.json (the same facts, for machines)."""
    from service.finetune.data import HELD_OUT_PER_INTENT

    runs = earlier_runs(recipe)

    recipe_rows = "\n".join(f"| {k} | `{v}` |" for k, v in recipe.as_dict().items())
    result_rows = "\n".join(f"| {k} | {v} |" for k, v in asdict(result).items())
    card = CARD.format(
        name=recipe.out.name, model=recipe.model, held_out=HELD_OUT_PER_INTENT * 27,
        per_intent=HELD_OUT_PER_INTENT, recipe_rows=recipe_rows, result_rows=result_rows,
        command=shlex.join(["guardchat", *sys.argv[1:]]), earlier=_earlier_section(runs),
    )  # fmt: skip
    (recipe.out / CARD_FILE).write_text(card, encoding="utf-8")
    run: dict[str, Any] = {"recipe": recipe.as_dict(), "result": asdict(result)}
    run |= {"argv": sys.argv[1:], "earlier_runs": runs}
    (recipe.out / RUN_FILE).write_text(json.dumps(run, indent=2), encoding="utf-8")
