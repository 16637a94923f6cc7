"""One-off export of the packaged MiniLM to ONNX, for `guards.embeddings` (needs torch)."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import torch
from transformers import AutoModel


class PooledEncoder(torch.nn.Module):
    """BERT's token vectors, mean-pooled over the mask and L2-normalised."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def export_to_onnx(model_dir: Path, target: Path) -> None:
    """Write the model with pooling as one ONNX graph to ``target``, atomically."""
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    example = (torch.tensor([[101, 2344, 102]]), torch.ones((1, 3), dtype=torch.long))
    axes = {"batch": 0, "tokens": 1}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        staged = Path(scratch) / target.name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
            torch.onnx.export(
                PooledEncoder(bert),
                example,
                str(staged),
                dynamo=False,
                opset_version=17,
                input_names=["input_ids", "attention_mask"],
                output_names=["embeddings"],
                dynamic_axes={
                    "input_ids": {axes["batch"]: "batch", axes["tokens"]: "tokens"},
                    "attention_mask": {axes["batch"]: "batch", axes["tokens"]: "tokens"},
                    "embeddings": {axes["batch"]: "batch"},
                },
            )
        os.replace(staged, target)  # atomic: a concurrent reader never sees half a file
