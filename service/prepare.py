"""Build the gateway's derived models once, before the first start: the ONNX export of the
sentence encoder, the input-guard classifier, the intent classifier and the output check's
meaning model. Each is cached in
the model cache folder; a later start only loads them.

    python -m service.prepare        # `make run` and `make test` do this first
"""

from __future__ import annotations

import logging
import time

from graphs.routing import IntentClassifier
from guards.input_checks import InputScreen
from guards.output_check.meaning import load_meaning_classifier
from service.config import load_settings

log = logging.getLogger("guardchat.prepare")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings()
    cache = settings.model_cache_dir or settings.var_dir / "models"
    started = time.monotonic()
    InputScreen(max_chars=settings.max_message_chars, cache_dir=cache)
    IntentClassifier.load(cache)
    load_meaning_classifier(cache)
    log.info("derived models ready in %s (%.0f s)", cache, time.monotonic() - started)


if __name__ == "__main__":
    main()
