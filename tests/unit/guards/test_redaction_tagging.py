"""spaCy's tagging runs only when a recognizer reads parts of speech or lemmas; the findings
must be exactly those of running the whole pipeline on every text."""

from __future__ import annotations

import re
from pathlib import Path

from guards.redaction import Redactor

HANDWRITTEN = Path(__file__).resolve().parents[3] / "data" / "eval" / "pii_handwritten.txt"
MARK = re.compile(r"\[[A-Z_]+\|([^\]]*)\]")
REPLIES = [
    "Thanks for waiting. You can reach us at +1 555 0100 or support@acme-outfitters.example.",
    "this is maria, she will call you tomorrow about the parcel.",
    "I have passed your card 4111 1111 1111 1111 to Tom Baker in billing.",
    # parts of speech and context words decide these: without tagging they come out wrong
    "The password for the shared account is letmein99, my husband set it up",
    "Can I pick up order #ORD-52810 instead? I live at 117B High Street, Cardiff",
    "send the new card to dewi esposito at berliner ring 37, 10115 berlin",
]


def sample_texts() -> list[str]:
    lines = HANDWRITTEN.read_text(encoding="utf-8").splitlines()
    return [MARK.sub(r"\1", line) for line in lines if line and not line.startswith("#")] + REPLIES


def findings(redactor: Redactor, texts: list[str]) -> list[list[tuple[str, int, int]]]:
    return [[(e.type, e.start, e.end) for e in redactor.analyze(text)] for text in texts]


def test_deferred_tagging_finds_exactly_what_the_full_pipeline_finds() -> None:
    texts = sample_texts()
    deferred = Redactor()
    eager = Redactor()
    engine = eager._analyzer.nlp_engine
    engine._eager, engine._deferred = (*engine._eager, *engine._deferred), ()  # type: ignore[attr-defined]
    assert deferred._analyzer.nlp_engine._deferred  # type: ignore[attr-defined]
    assert findings(deferred, texts) == findings(eager, texts)
