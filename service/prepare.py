"""Build the gateway's derived models once, before the first start: the ONNX export of the
sentence encoder, the input-guard classifier, the intent classifier and the handoff model.
Each is cached in the model cache folder; a later start only loads them.

    python -m service.prepare        # `make run` and `make test` do this first
"""

from __future__ import annotations

import logging
import time

from graphs.routing import Triage
from guards.input_checks import InputScreen
from service.config import load_settings

log = logging.getLogger("guardchat.prepare")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings()
    cache = settings.model_cache_dir or settings.var_dir / "models"
    started = time.monotonic()
    InputScreen(max_chars=settings.max_message_chars, cache_dir=cache)
    Triage.load(cache)
    log.info("derived models ready in %s (%.0f s)", cache, time.monotonic() - started)


if __name__ == "__main__":
    main()
