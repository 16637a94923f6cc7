"""Pick Bitext support-response sentences as `ok` examples for the output check's meaning model.

    .venv/bin/python data/eval/make_output_meaning_ok.py \
        ../shared/data/bitext/bitext_responses_train.csv

Writes ``guards/data/output_meaning_bitext_ok.txt``: one sentence a line, deterministic
(seeded), Bitext (c) Bitext Innovations, CDLA-Sharing-1.0 (see BITEXT_NOTICE.md here).
Sentences that promise refunds or credits are left out: the bot may not say them.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

from guards.output_check.rules import is_promise
from guards.output_check.sentences import split_sentences

OUT = Path(__file__).resolve().parents[2] / "guards" / "data" / "output_meaning_bitext_ok.txt"
SENTENCES = 600


def usable(sentence: str) -> bool:
    words = sentence.split()
    return 5 <= len(words) <= 40 and not is_promise(sentence) and not re.match(r"\d", sentence)


def main(csv_path: str) -> None:
    with open(csv_path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sentences = {
        " ".join(s.split()) for row in rows for s in split_sentences(row["response"]) if usable(s)
    }
    chosen = random.Random(15).sample(sorted(sentences), SENTENCES)
    OUT.write_text("\n".join(sorted(chosen)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
