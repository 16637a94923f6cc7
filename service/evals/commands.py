"""`guardchat eval pii | routing | guards` and `guardchat bench guards`: load the parts an
evaluation needs, run it over a labelled set, and print a readable table (or JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from service.config import Settings

if TYPE_CHECKING:
    from guards.output_check import OutputCheck
    from guards.redaction import Redactor

EVAL_DIR = Path("data/eval")


def eval_pii(
    data: Path | None, as_json: bool, baseline: bool = False, profile: Path | None = None
) -> str:
    """Our redaction over a labelled set, as the service runs it for the company `profile`
    (None: the sample); with ``baseline``, Presidio's defaults beside it."""
    from guards.company_profile import CompanyProfile
    from guards.redaction import Redactor
    from service.evals.pii import ServiceRedactor, evaluate_pii, format_pii_report
    from service.evals.pii_baseline import PresidioDefaultRedactor

    path = data or EVAL_DIR / "pii.jsonl"
    contacts = CompanyProfile.from_yaml(profile).published_contacts()
    report = evaluate_pii(ServiceRedactor(Redactor(), contacts), path)
    theirs = evaluate_pii(PresidioDefaultRedactor(), path) if baseline else None
    if as_json:
        both = {"ours": report.to_dict(), "default": theirs.to_dict() if theirs else None}
        return json.dumps(both if theirs else report.to_dict(), indent=2)
    return format_pii_report(report, theirs)


def eval_routing(settings: Settings, data: Path | None, as_json: bool) -> str:
    from graphs.routing import Triage
    from service.evals.routing import evaluate_routing, format_routing_report

    triage = Triage.load(settings.resolved_model_cache_dir)
    intents = [EVAL_DIR / "intents_extra.jsonl"]
    report = evaluate_routing(triage, data or EVAL_DIR / "routing.jsonl", intents)
    return json.dumps(report.to_dict(), indent=2) if as_json else format_routing_report(report)


def eval_guards(settings: Settings, data: Path | None, as_json: bool) -> str:
    """Input and output guards over their labelled sets; also the per-turn latency figures."""
    from guards.input_checks import InputScreen
    from guards.redaction import Redactor
    from service.evals.guards import evaluate_guards, format_guards_report

    redactor = Redactor()
    check = output_check(settings, redactor)
    folder = data or EVAL_DIR
    cache = settings.resolved_model_cache_dir
    report = evaluate_guards(
        InputScreen(max_chars=settings.max_message_chars, cache_dir=cache),
        check, redactor,
        folder / "input_guard.jsonl", folder / "output_guard.jsonl",
    )  # fmt: skip
    return json.dumps(report.to_dict(), indent=2) if as_json else format_guards_report(report)


def eval_output(settings: Settings, data: Path | None, as_json: bool) -> str:
    """The output check on a labelled set of replies (default: the dev set), each grounded in
    the knowledge base answers retrieved for its customer message, as the graph does."""
    from guards.embeddings import shared_encoder
    from guards.knowledge import KnowledgeBase
    from guards.redaction import Redactor
    from service.evals.output import evaluate_output, format_output_report

    redactor = Redactor()
    encoder = shared_encoder(settings.resolved_model_cache_dir)
    knowledge = KnowledgeBase.load(settings.knowledge, encoder)
    path = data or EVAL_DIR / "output_dev.jsonl"
    report = evaluate_output(output_check(settings, redactor), redactor, path, knowledge)
    return json.dumps(report.to_dict(), indent=2) if as_json else format_output_report(report)


def output_check(settings: Settings, redactor: Redactor) -> OutputCheck:
    """The output check as the service builds it, for the configured company profile."""
    from guards.company_profile import CompanyProfile
    from service.gateway.wiring import build_output_check

    profile = CompanyProfile.from_yaml(settings.company_profile)
    return build_output_check(settings, redactor, profile)


def eval_replies(
    settings: Settings,
    url: str,
    per_intent: int,
    skip: int,
    questions: Path | None,
    concurrency: int,
    as_json: bool,
) -> str:
    """Held-out Bitext requests (after the first `skip` of each intent), and policy questions,
    through a running gateway."""
    import asyncio
    from dataclasses import asdict

    from guards.company_profile import CompanyProfile
    from guards.embeddings import shared_encoder
    from guards.knowledge import read_entries
    from guards.output_check.slots import SlotFiller
    from guards.redaction import PlaceholderVault
    from service.evals.replies import (
        RepliesReport,
        ask_all,
        format_replies_report,
        held_out_requests,
        load_requests,
        score,
    )  # fmt: skip

    profile = CompanyProfile.from_yaml(settings.company_profile)
    grounding = "\n".join(
        [*profile.slot_values().values(), *(e.answer for e in read_entries(settings.knowledge))]
    )
    filler = SlotFiller(profile)

    def fill(text: str) -> str:
        return filler.fill(text, user_text="", vault=PlaceholderVault()).text

    bitext = held_out_requests(per_intent, skip)
    parts = [("Held-out Bitext requests", bitext)] if bitext else []
    if questions:
        parts.append((f"Policy questions ({questions.name})", load_requests(questions)))
    out = []
    for title, requests in parts:
        report = RepliesReport(asyncio.run(ask_all(url, requests, concurrency, 180.0)))
        score(report, shared_encoder(settings.resolved_model_cache_dir), grounding, fill)
        out.append(
            json.dumps([asdict(a) for a in report.answers])
            if as_json
            else format_replies_report(report, title)
        )
    return "\n".join(out)


def eval_scope(settings: Settings, data: Path, as_json: bool) -> str:
    """The redirect decision on `{"text", "label": "out_of_scope"|"support"}` lines: how many
    of each are redirected, by the topical rail alone and as the service decides (the rail,
    unless the company's knowledge base clearly answers the message or triage is all but
    certain of its support intent)."""
    decide = _scope_decision(settings)
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line]
    counts = {label: [0, 0, 0] for label in ("out_of_scope", "support")}
    for row in rows:
        rail, service = decide(row["text"])
        counts[row["label"]][0] += int(rail)
        counts[row["label"]][1] += int(service)
        counts[row["label"]][2] += 1
    return _scope_report(counts, as_json)


def _scope_decision(settings: Settings) -> Callable[[str], tuple[bool, bool]]:
    """A function telling, for a message, whether the rail alone and the service redirect it."""
    from graphs import is_out_of_scope
    from graphs.routing import IntentClassifier
    from guards.knowledge import KnowledgeBase, answering_match
    from guards.scope_check import ScopeCheck

    cache = settings.resolved_model_cache_dir
    intents = IntentClassifier.load(cache)
    check = ScopeCheck(intents.encoder, cache)
    knowledge = KnowledgeBase.load(settings.knowledge, intents.encoder)

    def decide(text: str) -> tuple[bool, bool]:
        verdict, answering = check.check(text), answering_match(knowledge.search(text))
        confidence = intents.predict(text).confidence
        return not verdict.allowed, is_out_of_scope(verdict, answering, confidence)

    return decide


def _scope_report(counts: dict[str, list[int]], as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {k: {"rail": r, "redirected": s, "of": n} for k, (r, s, n) in counts.items()}, indent=2
        )
    lines = [f"| {k} | {_rate(r, n)} | {_rate(s, n)} |" for k, (r, s, n) in counts.items()]
    head = "| messages | topical rail alone | redirected (rail, then knowledge base) |"
    return head + "\n|---|---|---|\n" + "\n".join(lines)


def _rate(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / max(total, 1):.1f}%)"
