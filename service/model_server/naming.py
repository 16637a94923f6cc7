"""The short model name used in span names and metrics (`chat {model}`)."""

from __future__ import annotations

from pathlib import Path

from service.model_server.embedded import EMBEDDED_PREFIX


def model_display_name(spec: str) -> str:
    return (
        spec.removeprefix(EMBEDDED_PREFIX)
        if spec.startswith(EMBEDDED_PREFIX)
        else Path(spec).name or spec
    )
