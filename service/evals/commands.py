"""`guardchat eval pii | routing | guards` and `guardchat bench guards`: load the parts an
evaluation needs, run it over a labelled set, and print a readable table (or JSON)."""

from __future__ import annotations

import json
from pathlib import Path

from service.config import Settings

EVAL_DIR = Path("data/eval")


def eval_pii(data: Path | None, as_json: bool) -> str:
    from guards.redaction import Redactor
    from service.evals.pii import evaluate_pii, format_pii_report

    report = evaluate_pii(Redactor(), data or EVAL_DIR / "pii.jsonl")
    return json.dumps(report.to_dict(), indent=2) if as_json else format_pii_report(report)


def eval_routing(settings: Settings, data: Path | None, as_json: bool) -> str:
    from graphs.routing import Triage
    from service.evals.routing import evaluate_routing, format_routing_report

    triage = Triage.load(_cache(settings))
    intents = [EVAL_DIR / "intents_extra.jsonl"]
    report = evaluate_routing(triage, data or EVAL_DIR / "routing.jsonl", intents)
    return json.dumps(report.to_dict(), indent=2) if as_json else format_routing_report(report)


def eval_guards(settings: Settings, data: Path | None, as_json: bool) -> str:
    """Input and output guards over their labelled sets; also the per-turn latency figures."""
    from guards.company_profile import CompanyProfile
    from guards.input_checks import InputScreen
    from guards.output_check import OutputCheck
    from guards.redaction import Redactor
    from service.evals.guards import evaluate_guards, format_guards_report
    from service.gateway.wiring import canary_for

    redactor = Redactor()
    profile = CompanyProfile.from_yaml(settings.company_profile)
    check = OutputCheck(redactor, profile, canary_for(settings.secret_key.get_secret_value()))
    folder = data or EVAL_DIR
    report = evaluate_guards(
        InputScreen(max_chars=settings.max_message_chars, cache_dir=_cache(settings)),
        check, redactor,
        folder / "input_guard.jsonl", folder / "output_guard.jsonl",
    )  # fmt: skip
    return json.dumps(report.to_dict(), indent=2) if as_json else format_guards_report(report)


def _cache(settings: Settings) -> Path:
    return settings.model_cache_dir or settings.var_dir / "models"
