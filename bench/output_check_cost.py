"""What the output check's steps cost per streamed sentence, in CPU and wall milliseconds.

    nice -n 10 .venv/bin/python bench/output_check_cost.py

Every reply of the output sets is redacted first (not timed), cut into sentences, and each
sentence goes through `review_sentence` as the graph does it. CPU time (the process's, all
threads) is given beside wall time: on a busy host the wall time measures the other load.
The meaning model's share is timed alone on the same sentences, its memory cleared first.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from guards.company_profile import CompanyProfile
from guards.output_check import OutputCheck, split_sentences
from guards.redaction import PlaceholderVault, Redactor
from service.evals.guards import read_jsonl

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"
SETS = ("output_guard.jsonl", "output_dev.jsonl")
CACHE = Path(__file__).resolve().parents[1] / "var" / "models"


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def summary(name: str, timings: list[tuple[float, float]]) -> str:
    """Median and 95th percentile of wall and CPU time."""
    walls, cpus = [t[0] for t in timings], [t[1] for t in timings]
    return f"{name}: n={len(timings)} wall {_percentiles(walls)}, CPU {_percentiles(cpus)}"


def _percentiles(values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[-1]
    return f"p50 {statistics.median(values):.1f} / p95 {p95:.1f} ms"


def main() -> None:
    redactor = Redactor()
    check = OutputCheck(redactor, CompanyProfile.from_yaml(None), "canary", cache_dir=CACHE)
    rows = [row for name in SETS for row in read_jsonl(EVAL_DIR / name)]
    sentence_timings, meaning_timings = [], []
    for row in rows:
        vault = PlaceholderVault()
        user = redactor.redact(row["user"], vault).text
        for sentence in split_sentences(redactor.redact(row["reply"], vault).text):
            check._meaning.encoder.forget()
            meaning_timings.append(timed(partial(check._meaning.findings, [sentence])))
            check._meaning.encoder.forget()
            review = partial(check.review_sentence, sentence, user_text=user, vault=vault)
            sentence_timings.append(timed(partial(review, released=[])))
    print(summary("review_sentence (all steps)", sentence_timings))
    print(summary("meaning model alone", meaning_timings))
    print(f"sentences per reply: {len(sentence_timings) / len(rows):.2f}")


if __name__ == "__main__":
    main()
