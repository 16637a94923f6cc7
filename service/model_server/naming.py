"""The short model name used in span names and metrics (`chat {model}`)."""

from __future__ import annotations

from pathlib import Path

from service.config import EMBEDDED_MODEL

EMBEDDED_NAME = "smollm2-135m-instruct"


def model_display_name(spec: str) -> str:
    return EMBEDDED_NAME if spec == EMBEDDED_MODEL else Path(spec).name or spec
