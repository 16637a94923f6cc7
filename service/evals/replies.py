"""`guardchat eval replies`: the answers customers get, through a running gateway.

Each held-out Bitext request (never trained on: `service.finetune.data.split_pairs`) opens
a conversation on the gateway and is streamed as the chat widget reads it, `concurrency` at
a time. Reported: who answered (model, knowledge base, fallback, a human), time to the
first sentence on screen, similarity to the Bitext reference (MiniLM cosine and ROUGE-L;
the reference's `{{Slot}}`s filled from the company profile, as replies are), and invented
contact details or figures (any phone number, e-mail, URL or number that is not in the
profile, the knowledge base or the request). Policy questions (`{"text", "expect": [...]}`)
count as answered when the reply contains one of the expected strings.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from guards.embeddings import SentenceEncoder
from service.bench.load import require_loopback

FIGURE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:https?://|www\.)\S+"  # URL
    r"|\+?\d[\d ().-]{5,}\d"  # phone-like digit runs
    r"|\$?\d+(?:[.,:]\d+)*%?"  # other figures: prices, durations, percentages
)
STEP_NUMBER = re.compile(r"(?m)^\s*\d+[.)]\s")
SlotFill = Callable[[str], str]
OTHER_OUTCOMES = ("fallback", "handoff", "redirect", "refuse", "error")


@dataclass(frozen=True)
class Request:
    """One evaluation request: the customer's text, and what a good reply looks like."""

    text: str
    reference: str = ""
    intent: str = ""
    expect: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What the gateway did with one request."""

    request: Request
    reply: str
    answered_by: str
    first_sentence_s: float | None
    total_s: float
    error: str = ""


@dataclass
class RepliesReport:
    """The figures of one run."""

    answers: list[Answer]
    cosine: list[float] = field(default_factory=list)
    cosine_by: list[str] = field(default_factory=list)
    """Who wrote each reply that `cosine` scores (model, knowledge, fallback)."""
    rouge_l: list[float] = field(default_factory=list)
    invented: list[tuple[str, str]] = field(default_factory=list)
    """(figure, reply) for every figure found in no grounding text."""

    def by(self) -> Counter[str]:
        return Counter(a.answered_by for a in self.answers)

    def share(self, who: str) -> float:
        return self.by()[who] / len(self.answers) if self.answers else 0.0

    def model_cosine(self) -> list[float]:
        return [c for c, by in zip(self.cosine, self.cosine_by, strict=True) if by == "model"]

    def first_sentence(self) -> list[float]:
        return sorted(a.first_sentence_s for a in self.answers if a.first_sentence_s is not None)

    def expected_met(self) -> tuple[int, int]:
        judged = [a for a in self.answers if a.request.expect]
        met = [a for a in judged if any(e.lower() in a.reply.lower() for e in a.request.expect)]
        return len(met), len(judged)


async def ask(client: httpx.AsyncClient, request: Request) -> Answer:
    """One new conversation, streamed; the first `delta` is the first sentence on screen."""
    started, first, done = time.perf_counter(), None, {}
    headers = {"Accept": "text/event-stream"}
    body = {"message": request.text}
    async with client.stream("POST", "/v1/chat", json=body, headers=headers) as response:
        if response.status_code != 200:
            await response.aread()
            elapsed = time.perf_counter() - started
            return Answer(request, "", "error", None, elapsed, f"http {response.status_code}")
        kind = ""
        async for line in response.aiter_lines():
            kind = line[7:] if line.startswith("event: ") else kind
            if kind == "delta" and first is None:
                first = time.perf_counter() - started
            if kind == "done" and line.startswith("data: "):
                done = json.loads(line[6:])
    by = str(done.get("answered_by", "error"))
    return Answer(request, str(done.get("reply", "")), by, first, time.perf_counter() - started)


async def ask_all(
    url: str, requests: Sequence[Request], concurrency: int, timeout_s: float
) -> list[Answer]:
    """Every request, `concurrency` conversations at a time, in order of the input."""
    require_loopback(url)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=timeout_s) as client:

        async def bounded(request: Request) -> Answer:
            async with gate:
                return await ask(client, request)

        return list(await asyncio.gather(*(bounded(r) for r in requests)))


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 over lower-cased word tokens (longest common subsequence)."""
    a, b = re.findall(r"\w+", candidate.lower()), re.findall(r"\w+", reference.lower())
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    lcs = previous[-1]
    return 0.0 if lcs == 0 else 2 * lcs / (len(a) + len(b))


def invented_figures(reply: str, grounding: str) -> list[str]:
    """Figures and contact details in `reply` found nowhere in `grounding` (step numbers aside)."""
    text = STEP_NUMBER.sub(" ", reply)
    known = _normalised(grounding)
    return [
        f
        for f in (m.group().rstrip(".,") for m in FIGURE.finditer(text))
        if _normalised(f) not in known
    ]


def _normalised(text: str) -> str:
    """Without spaces, brackets, dots, dashes and currency signs: "$1200" is the customer's
    "1200 dollars"."""
    return re.sub(r"[\s().\-$€£]", "", text.lower())


def load_requests(path: Path) -> list[Request]:
    """A JSON Lines file of `{"text", "expect"?: [...], "reference"?, "intent"?}`."""
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [
        Request(
            row["text"],
            row.get("reference", ""),
            row.get("intent", ""),
            tuple(row.get("expect", ())),
        )
        for row in rows
    ]


def score(report: RepliesReport, encoder: SentenceEncoder, grounding: str, fill: SlotFill) -> None:
    """Similarity to the references and invented figures, for every answered request."""
    answered = [a for a in report.answers if a.reply and a.request.reference]
    if answered:
        references = [fill(a.request.reference) for a in answered]
        replies = encoder.encode([a.reply for a in answered], max_tokens=256)
        refs = encoder.encode(references, max_tokens=256)
        report.cosine = [float(x) for x in (replies * refs).sum(axis=1)]
        report.cosine_by = [a.answered_by for a in answered]
        report.rouge_l = [rouge_l(a.reply, r) for a, r in zip(answered, references, strict=True)]
    for a in report.answers:
        known = f"{grounding}\n{a.request.text}"
        report.invented += [(figure, a.reply) for figure in invented_figures(a.reply, known)]


def held_out_requests(per_intent: int, skip: int = 0) -> list[Request]:
    """`per_intent` held-out Bitext pairs of each intent (never trained on), after the first
    `skip` of each, so runs that choose settings and runs that report can use different pairs."""
    from service.finetune.data import load_pairs, split_pairs

    _, held_out = split_pairs(load_pairs())
    seen: Counter[str] = Counter()
    chosen = []
    for pair in held_out:
        seen[pair.intent] += 1
        if skip < seen[pair.intent] <= skip + per_intent:
            chosen.append(Request(pair.instruction, pair.response, pair.intent))
    return chosen


def format_replies_report(report: RepliesReport, title: str) -> str:
    """A Markdown table of the figures, then a few replies to read."""
    n, first = len(report.answers), report.first_sentence()
    met, judged = report.expected_met()
    rows = [
        ("requests", str(n)),
        ("answered by the model", _pct(report.share("model"))),
        ("answered from the knowledge base", _pct(report.share("knowledge"))),
        ("fallback / handed off / redirected / refused / error",
         " / ".join(_pct(report.share(k)) for k in OTHER_OUTCOMES)),
        ("MiniLM cosine to reference, mean", _mean(report.cosine)),
        ("MiniLM cosine, the model's replies only", _mean(report.model_cosine())),
        ("ROUGE-L F1 to reference, mean", _mean(report.rouge_l)),
        ("expected fact stated", f"{met}/{judged}" if judged else "-"),
        ("replies with invented figures or contact details",
         str(len({reply for _, reply in report.invented}))),
        ("first sentence on screen, median / p95 s",
         f"{_quantile(first, 0.5)} / {_quantile(first, 0.95)}" if first else "-"),
    ]  # fmt: skip
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    return f"### {title}\n\n| measure | value |\n|---|---|\n{table}\n\n" + _examples(report)


def _examples(report: RepliesReport, limit: int = 6) -> str:
    lines = [
        f"- `{a.answered_by}` {a.request.text!r} -> {a.reply[:300]!r}"
        for a in report.answers[:limit]
    ]
    invented = sorted({figure for figure, _ in report.invented})
    return "\n".join(lines) + (f"\n\nInvented: {', '.join(invented)}\n" if invented else "\n")


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):.3f}" if values else "-"


def _quantile(values: list[float], q: float) -> str:
    return f"{values[min(len(values) - 1, int(q * len(values)))]:.1f}"
