"""Build the gateway's derived models once, before the first start: the ONNX export of the
sentence encoder, the input-guard, intent, handoff and scope classifiers, the output check's meaning
model, and the embedded LLM's safetensors copy. Each is cached in
the model cache folder; a later start only loads them.

    python -m service.prepare        # `make run` and `make test` do this first
"""

from __future__ import annotations

import logging
import time

from graphs.routing import Triage
from guards.embeddings import shared_encoder
from guards.input_checks import InputScreen
from guards.output_check.meaning import load_meaning_classifier
from guards.scope_check import ScopeCheck
from service.config import load_settings
from service.model_server.embedded import EMBEDDED_MODELS
from service.model_server.loading import resolve_model_dir

log = logging.getLogger("guardchat.prepare")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings()
    cache = settings.resolved_model_cache_dir
    started = time.monotonic()
    InputScreen(max_chars=settings.max_message_chars, cache_dir=cache)
    Triage.load(cache)
    ScopeCheck(shared_encoder(cache), cache)
    load_meaning_classifier(cache)
    if settings.model in EMBEDDED_MODELS:  # the default LLM's GGUF, dequantized once
        resolve_model_dir(settings.model, cache)
    log.info("derived models ready in %s (%.0f s)", cache, time.monotonic() - started)


if __name__ == "__main__":
    main()
